// The mutators' loops: work, then a poll, over and over (what C2 emits for a loop with a
// safepoint poll), specialised per mechanism and kind of work so that the poll costs what the
// mechanism costs and nothing more.
// - polling threads poll every `poll_interval` units (with the dispatch mechanism they interpret);
// - the straggler runs a counted loop of `straggler_units` without a poll inside, as C2 compiles an
//   int-counted loop without -XX:+UseCountedLoopSafepoints: every safepoint waits for its end;
// - native threads alternate a stint in Java (with polls) and a stint in native (none), with the
//   state transitions in between.
// A mutator publishes its progress at every poll and notices a stop there; the straggler and
// native stints look at the stop flag every 64K units, which is not a safepoint poll.

#define _GNU_SOURCE
#include "safepoint_internal.h"
#include "safepoint_work.h"

#include <stdio.h>
#include <sys/resource.h>

/// Units between two looks at the stop flag inside a long loop.
enum { STOP_CHECK_UNITS = 1 << 16 };

static void poll_slow(struct sp_mutator *mutator) {
    // The poll load was relaxed; what the coordinator wrote before arming must be visible now.
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    sp_block(mutator, 0);
}

static inline __attribute__((always_inline)) void poll(struct sp_mutator *mutator, cps_sp_mechanism mechanism) {
    switch (mechanism) {
    case CPS_SP_GLOBAL_PAGE:
        sp_poll_page(mutator->global_page);
        break;
    case CPS_SP_THREAD_PAGE:
        sp_poll_page(mutator->polling_page);
        break;
    case CPS_SP_POLL_WORD:
        if (__builtin_expect(__atomic_load_n(&mutator->poll_word, __ATOMIC_RELAXED) & 1, 0)) {
            poll_slow(mutator);
        }
        break;
    case CPS_SP_DISPATCH:
        sp_dispatch_poll(mutator);
        break;
    }
}

static inline int stopping(const struct sp_mutator *mutator) {
    return __atomic_load_n(&mutator->engine->stop, __ATOMIC_RELAXED) != 0;
}

static inline void publish(struct sp_mutator *mutator, uint64_t units) {
    __atomic_store_n(&mutator->units, units, __ATOMIC_RELAXED);
}

/// `count` units with no poll, looking at the stop flag between pieces of STOP_CHECK_UNITS;
/// returns 0 when the engine stops.
static inline __attribute__((always_inline)) int run_units(struct sp_mutator *mutator, struct sp_work *work,
                                                           cps_sp_work kind, uint64_t count) {
    for (uint64_t done = 0; done < count;) {
        uint64_t piece = count - done < STOP_CHECK_UNITS ? count - done : STOP_CHECK_UNITS;
        for (uint64_t unit = 0; unit < piece; unit++) {
            sp_work_unit(work, kind);
        }
        done += piece;
        if (stopping(mutator)) {
            return 0;
        }
    }
    return 1;
}

/// `length` units, then a poll, until the engine stops.
static inline __attribute__((always_inline)) void run_with_polls(struct sp_mutator *mutator, cps_sp_mechanism mechanism,
                                                                 cps_sp_work kind, uint64_t length) {
    struct sp_work work;
    sp_work_init(&work, mutator);
    uint64_t units = 0;
    while (run_units(mutator, &work, kind, length)) {
        units += length;
        publish(mutator, units);
        poll(mutator, mechanism);
    }
    sp_work_finish(&work, mutator);
}

static inline __attribute__((always_inline)) void polling_loop(struct sp_mutator *mutator, cps_sp_mechanism mechanism,
                                                               cps_sp_work kind) {
    if (mechanism == CPS_SP_DISPATCH) {
        // Interpreted: the dispatch of every bytecode is the poll.
        sp_interpret(mutator);
    } else {
        run_with_polls(mutator, mechanism, kind, mutator->engine->config.poll_interval);
    }
}

static inline __attribute__((always_inline)) void straggler_loop(struct sp_mutator *mutator, cps_sp_mechanism mechanism,
                                                                 cps_sp_work kind) {
    run_with_polls(mutator, mechanism, kind, mutator->engine->config.straggler_units);
}

/// Java stints of `java_units` (polling every `poll_interval`) and native stints of
/// `native_units`, with the state transitions between them, until the engine stops.
static inline __attribute__((always_inline)) void native_loop(struct sp_mutator *mutator, cps_sp_mechanism mechanism,
                                                              cps_sp_work kind) {
    const cps_sp_config *config = &mutator->engine->config;
    struct sp_work work;
    sp_work_init(&work, mutator);
    uint64_t units = 0;
    int running = 1;
    while (running) {
        for (uint32_t done = 0; running && done < config->java_units; done += config->poll_interval) {
            running = run_units(mutator, &work, kind, config->poll_interval);
            units += config->poll_interval;
            publish(mutator, units);
            poll(mutator, mechanism);
        }
        if (running) {
            sp_transition_to_native(mutator);
            running = run_units(mutator, &work, kind, config->native_units);
            sp_transition_to_java(mutator);
            units += config->native_units;
            publish(mutator, units);
        }
    }
    sp_work_finish(&work, mutator);
}

typedef void (*loop_function)(struct sp_mutator *);

// One copy of each loop per mechanism and kind of work.
#define SPECIALISE_WORK(loop, mechanism, tag)                                                          \
    static void loop##_##tag##_compute(struct sp_mutator *m) { loop(m, mechanism, CPS_SP_COMPUTE); } \
    static void loop##_##tag##_store(struct sp_mutator *m) { loop(m, mechanism, CPS_SP_STORE); }     \
    static void loop##_##tag##_copy(struct sp_mutator *m) { loop(m, mechanism, CPS_SP_COPY); }
#define SPECIALISE(loop)                                                                   \
    SPECIALISE_WORK(loop, CPS_SP_GLOBAL_PAGE, global)                                      \
    SPECIALISE_WORK(loop, CPS_SP_THREAD_PAGE, thread)                                      \
    SPECIALISE_WORK(loop, CPS_SP_POLL_WORD, word)                                          \
    SPECIALISE_WORK(loop, CPS_SP_DISPATCH, dispatch)                                       \
    static const loop_function loop##_table[4][3] = {                                      \
        {loop##_global_compute, loop##_global_store, loop##_global_copy},                  \
        {loop##_thread_compute, loop##_thread_store, loop##_thread_copy},                  \
        {loop##_word_compute, loop##_word_store, loop##_word_copy},                        \
        {loop##_dispatch_compute, loop##_dispatch_store, loop##_dispatch_copy},            \
    };

SPECIALISE(polling_loop)
SPECIALISE(straggler_loop)
SPECIALISE(native_loop)

/// Faults the buffer (store and copy work only) in before the first unit, so that no measurement
/// pays its page faults.
static void prefault(struct sp_mutator *mutator) {
    if (mutator->buffer == NULL) {
        return;
    }
    size_t length = mutator->engine->config.buffer_bytes;
    for (size_t offset = 0; offset < length; offset += mutator->engine->page_size) {
        ((volatile char *)mutator->buffer)[offset] = 0;
    }
}

void *sp_mutator_main(void *argument) {
    struct sp_mutator *mutator = argument;
    const cps_sp_config *config = &mutator->engine->config;
    sp_current = mutator;
    // Named, so that top -H and /proc/<pid>/task/*/comm tell the mutators apart.
    char name[16];
    snprintf(name, sizeof name, "sp-mutator-%d", mutator->index);
    pthread_setname_np(pthread_self(), name);
    if (config->nice > 0) {
        // Lowering one's own priority needs no privilege; failing to leaves it as it was.
        setpriority(PRIO_PROCESS, (id_t)gettid(), config->nice);
    }
    prefault(mutator);
    int mechanism = (int)config->mechanism, work = (int)config->work;
    switch (mutator->role) {
    case ROLE_POLLING:
        polling_loop_table[mechanism][work](mutator);
        break;
    case ROLE_STRAGGLER:
        straggler_loop_table[mechanism][work](mutator);
        break;
    case ROLE_NATIVE:
        native_loop_table[mechanism][work](mutator);
        break;
    }
    sp_current = NULL;
    return NULL;
}
