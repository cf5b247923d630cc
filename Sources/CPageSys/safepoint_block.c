// How a mutator stops at a safepoint and is let go (SafepointSynchronize::block with HotSpot's
// futex WaitBarrier). Called from poll slow paths, from the SIGSEGV handler and from the return
// from native, so everything here is async-signal-safe: atomics, clock_gettime, futex.

#define _GNU_SOURCE
#include "safepoint_internal.h"

void sp_announce(struct sp_engine *engine) {
    // Dekker with the coordinator, which stores wake_at and coordinator_waiting and then reads
    // arrivals (all sequentially consistent): either it sees this arrival and does not sleep, or
    // this thread sees it waiting and wakes it once the count reaches what it waits for.
    uint32_t arrivals = __atomic_add_fetch(&engine->arrivals, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&engine->coordinator_waiting, __ATOMIC_SEQ_CST) &&
        (int32_t)(arrivals - __atomic_load_n(&engine->wake_at, __ATOMIC_SEQ_CST)) >= 0) {
        sp_futex_wake(&engine->arrivals, 1);
    }
}

int sp_block(struct sp_mutator *mutator, int by_trap) {
    // Arrival is when the thread noticed, before it reads the coordinator's freshly written words.
    uint64_t now = sp_now();
    struct sp_engine *engine = mutator->engine;
    uint32_t counter = __atomic_load_n(&engine->counter, __ATOMIC_ACQUIRE);
    // The coordinator arms the barrier with the (odd) counter before it sets the state or arms a
    // poll, and disarms it after the counter turns even: a barrier that does not hold this counter
    // means the safepoint this thread noticed has ended (its disarm was not yet visible, or a
    // native thread came back late).
    if ((counter & 1) == 0 || __atomic_load_n(&engine->barrier, __ATOMIC_ACQUIRE) != counter) {
        sp_count(&mutator->spurious);
        return 0;
    }
    uint64_t word = __atomic_load_n(&mutator->state, __ATOMIC_RELAXED);
    __atomic_store_n(&mutator->reached_ns, now, __ATOMIC_RELAXED);
    __atomic_store_n(&mutator->reached_by_trap, (uint32_t)by_trap, __ATOMIC_RELAXED);
    sp_count(&mutator->safepoints);
    // Release: the coordinator that reads "blocked" also reads the fields above.
    uint64_t blocked = ts_blocked_at(word, counter);
    __atomic_store_n(&mutator->state, blocked, __ATOMIC_RELEASE);
    sp_announce(engine);
    while (__atomic_load_n(&engine->barrier, __ATOMIC_ACQUIRE) == counter) {
        sp_futex_wait(&engine->barrier, counter, 0);
    }
    __atomic_store_n(&mutator->state, ts_next(blocked, TS_JAVA), __ATOMIC_RELEASE);
    return 1;
}
