// The coordinator: one safepoint through SafepointSynchronize's three states (JDK 17's
// SafepointSynchronize::begin / end, with the arming of JDK 8 for the global page and the
// interpreter). See safepoint_internal.h for the protocol.

#define _GNU_SOURCE
#include "safepoint_internal.h"

#include <errno.h>
#include <sys/mman.h>

/// Arms or disarms every mutator's poll: the global page's protection, each thread's polling
/// page or word, or the interpreter's dispatch table.
static int set_polls(struct sp_engine *engine, int armed) {
    switch (engine->config.mechanism) {
    case CPS_SP_GLOBAL_PAGE:
        return mprotect(engine->global_page, engine->page_size, armed ? PROT_NONE : PROT_READ) == 0 ? 0 : errno;
    case CPS_SP_THREAD_PAGE:
    case CPS_SP_POLL_WORD:
        for (int index = 0; index < engine->count; index++) {
            struct sp_mutator *mutator = &engine->mutators[index];
            if (engine->config.mechanism == CPS_SP_THREAD_PAGE) {
                __atomic_store_n(&mutator->polling_page, armed ? engine->bad_page : engine->good_page, __ATOMIC_RELEASE);
            } else {
                __atomic_store_n(&mutator->poll_word, (uint32_t)armed, __ATOMIC_RELEASE);
            }
        }
        return 0;
    case CPS_SP_DISPATCH:
        if (armed) {
            sp_notice_safepoints(engine);
        } else {
            sp_ignore_safepoints(engine);
        }
        return 0;
    }
    return 0;
}

/// Looks at every mutator not yet known to be safe; returns how many still are not. A mutator is
/// safe in native, or blocked at this safepoint; its state word is kept to check it stays so.
static int scan(struct sp_engine *engine, uint32_t counter, uint64_t now) {
    int remaining = 0;
    for (int index = 0; index < engine->count; index++) {
        if (engine->safe_ns[index] != 0) {
            continue;
        }
        struct sp_mutator *mutator = &engine->mutators[index];
        uint64_t word = __atomic_load_n(&mutator->state, __ATOMIC_ACQUIRE);
        if (ts_kind(word) == TS_BLOCKED && ts_counter(word) == counter) {
            engine->safe_ns[index] = __atomic_load_n(&mutator->reached_ns, __ATOMIC_RELAXED);
        } else if (ts_kind(word) == TS_NATIVE) {
            engine->safe_ns[index] = now;
        } else {
            remaining++;
            continue;
        }
        engine->safe_words[index] = word;
    }
    return remaining;
}

/// Whether the coordinator stops waiting: every mutator is safe, Ctrl-C, or the timeout; -1 while
/// it waits on.
static int wait_verdict(int remaining, uint64_t now, uint64_t deadline) {
    if (remaining == 0) {
        return CPS_SP_OK;
    }
    if (cps_interrupt_pending()) {
        return CPS_SP_INTERRUPTED;
    }
    return now >= deadline ? CPS_SP_TIMEOUT : -1;
}

/// Notes which mutators were running when the safepoint began: all but those found in native
/// (some may already have blocked at it).
static void note_running(struct sp_engine *engine, cps_sp_record *record) {
    for (int index = 0; index < engine->count; index++) {
        int native = engine->safe_ns[index] != 0 && ts_kind(engine->safe_words[index]) == TS_NATIVE;
        engine->was_running[index] = (uint8_t)!native;
        record->running += !native;
    }
}

/// Waits until every mutator is safe, sleeping on `arrivals` between looks (and woken by the
/// watchdog every tick to notice an interrupt or the timeout). `seen` is `arrivals` as it was
/// before the polls were armed.
static cps_sp_status synchronize(struct sp_engine *engine, uint32_t counter, uint32_t seen, cps_sp_record *record) {
    memset(engine->safe_ns, 0, sizeof *engine->safe_ns * (size_t)engine->count);
    uint64_t deadline = record->begin_ns + engine->config.timeout_ns;
    int remaining = engine->count;
    uint64_t now = record->begin_ns;
    if (engine->config.native_threads > 0) {
        now = sp_now();
        seen = __atomic_load_n(&engine->arrivals, __ATOMIC_SEQ_CST);
        remaining = scan(engine, counter, now);
    }
    // Without native threads every mutator is running and must block, so the coordinator
    // sleeps at once (as HotSpot's VM thread would sleep in its first back-off), leaving the CPU
    // to a mutator it may have preempted, and looks once they have all announced themselves.
    note_running(engine, record);
    for (;;) {
        int verdict = wait_verdict(remaining, now, deadline);
        if (verdict >= 0) {
            return (cps_sp_status)verdict;
        }
        // Each mutator still running bumps `arrivals` at least once after `seen` was read.
        uint32_t wake_at = seen + (uint32_t)remaining;
        __atomic_store_n(&engine->wake_at, wake_at, __ATOMIC_SEQ_CST);
        __atomic_store_n(&engine->coordinator_waiting, 1, __ATOMIC_SEQ_CST);
        uint32_t current = __atomic_load_n(&engine->arrivals, __ATOMIC_SEQ_CST);
        if ((int32_t)(current - wake_at) < 0) {
            // No timeout: the watchdog wakes this wait every tick.
            sp_futex_wait(&engine->arrivals, current, 0);
        }
        __atomic_store_n(&engine->coordinator_waiting, 0, __ATOMIC_SEQ_CST);
        seen = __atomic_load_n(&engine->arrivals, __ATOMIC_SEQ_CST);
        now = sp_now();
        remaining = scan(engine, counter, now);
    }
}

/// HotSpot's way: look at every mutator, and while some still run, nanosleep 10 µs (the kernel's
/// timer slack, 50 µs by default, comes on top) or, after the first millisecond, 1 ms.
static cps_sp_status back_off_until_safe(struct sp_engine *engine, uint32_t counter, cps_sp_record *record) {
    memset(engine->safe_ns, 0, sizeof *engine->safe_ns * (size_t)engine->count);
    uint64_t deadline = record->begin_ns + engine->config.timeout_ns;
    for (int first = 1;; first = 0) {
        uint64_t now = sp_now();
        int remaining = scan(engine, counter, now);
        if (first) {
            note_running(engine, record);
        }
        int verdict = wait_verdict(remaining, now, deadline);
        if (verdict >= 0) {
            return (cps_sp_status)verdict;
        }
        struct timespec pause = {.tv_sec = 0, .tv_nsec = now - record->begin_ns < 1000000u ? 10000 : 1000000};
        nanosleep(&pause, NULL);
    }
}

/// The VM operation: the coordinator is busy for `duration_ns` while no mutator runs Java.
static void operate(uint64_t duration_ns) {
    uint64_t until = sp_now() + duration_ns;
    while (sp_now() < until && !cps_interrupt_pending()) {
        __builtin_ia32_pause();
    }
}

/// Mutators deemed safe that did not stay so: a native one may only have come back as far as
/// native_trans, or blocked at this safepoint; anything else walked into Java during it.
static int count_violations(struct sp_engine *engine, uint32_t counter) {
    int violations = 0;
    for (int index = 0; index < engine->count; index++) {
        if (engine->safe_ns[index] == 0) {
            continue;
        }
        struct sp_mutator *mutator = &engine->mutators[index];
        uint64_t then = engine->safe_words[index];
        uint64_t now = __atomic_load_n(&mutator->state, __ATOMIC_ACQUIRE);
        if (now == then) {
            continue;
        }
        uint64_t returning = ts_next(then, TS_NATIVE_TRANS);
        if (ts_kind(then) == TS_NATIVE && (now == returning || now == ts_blocked_at(returning, counter))) {
            continue;
        }
        violations++;
    }
    return violations;
}

/// What the record says about arrivals, and each mutator's time to safepoint.
static void account(struct sp_engine *engine, uint32_t counter, cps_sp_record *record, int64_t *arrival_ns) {
    record->last_arrival_ns = record->begin_ns;
    for (int index = 0; index < engine->count; index++) {
        struct sp_mutator *mutator = &engine->mutators[index];
        uint64_t word = __atomic_load_n(&mutator->state, __ATOMIC_ACQUIRE);
        int blocked = ts_kind(word) == TS_BLOCKED && ts_counter(word) == counter;
        if (blocked) {
            record->arrived++;
            record->traps += __atomic_load_n(&mutator->reached_by_trap, __ATOMIC_RELAXED) != 0;
        }
        uint64_t safe = engine->safe_ns[index];
        int reached = engine->was_running[index] && safe != 0;
        if (reached && safe > record->last_arrival_ns) {
            record->last_arrival_ns = safe;
        }
        if (arrival_ns != NULL) {
            arrival_ns[index] = reached ? (int64_t)(safe - record->begin_ns) : -1;
        }
    }
}

cps_sp_status cps_sp_safepoint(cps_sp_engine *engine, uint64_t operation_ns, cps_sp_record *record,
                               int64_t *arrival_ns) {
    memset(record, 0, sizeof *record);
    // Bookkeeping first, so that the begin timestamp is followed by the protocol alone (the read
    // of arrivals, last written by a mutator, misses the cache).
    uint32_t seen = __atomic_load_n(&engine->arrivals, __ATOMIC_SEQ_CST);
    uint32_t counter = __atomic_load_n(&engine->counter, __ATOMIC_RELAXED) + 1;
    record->begin_ns = sp_now();
    // begin(): the barrier holds the odd counter before anything a mutator could notice. Release
    // stores (only this thread writes them); the fence after arming orders them before the looks.
    __atomic_store_n(&engine->counter, counter, __ATOMIC_RELEASE);
    __atomic_store_n(&engine->barrier, counter, __ATOMIC_RELEASE);
    __atomic_store_n(&engine->state, SP_SYNCHRONIZING, __ATOMIC_RELEASE);
    int error = set_polls(engine, 1);
    if (error == 0) {
        int timed = engine->config.ordering != CPS_SP_FENCE;
        uint64_t ordering_start = timed ? sp_now() : 0;
        error = sp_order_coordinator(engine);
        record->ordering_ns = timed ? sp_now() - ordering_start : 0;
    }
    cps_sp_status status = error != 0                 ? CPS_SP_FAILED
                           : engine->config.back_off ? back_off_until_safe(engine, counter, record)
                                                     : synchronize(engine, counter, seen, record);
    record->sync_ns = sp_now();
    if (status == CPS_SP_OK) {
        __atomic_store_n(&engine->state, SP_SYNCHRONIZED, __ATOMIC_SEQ_CST);
        // No cleanup tasks to run: the phase is empty, but logged as HotSpot logs it.
        record->cleanup_ns = sp_now();
        operate(operation_ns);
        record->violations = count_violations(engine, counter);
    } else {
        record->cleanup_ns = record->sync_ns;
    }
    record->operation_ns = sp_now();
    account(engine, counter, record, arrival_ns);
    // end(): disarm, not synchronized, counter even, release the barrier.
    int disarm_error = set_polls(engine, 0);
    __atomic_store_n(&engine->state, SP_NOT_SYNCHRONIZED, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&engine->counter, 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&engine->barrier, 0, __ATOMIC_SEQ_CST);
    sp_futex_wake(&engine->barrier, CPS_SP_MAX_THREADS + 1);
    record->end_ns = sp_now();
    if (status == CPS_SP_OK && disarm_error != 0) {
        error = disarm_error;
        status = CPS_SP_FAILED;
    }
    if (status == CPS_SP_FAILED) {
        errno = error;
    }
    return status;
}
