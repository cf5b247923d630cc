// Native-state transitions and the three ways of ordering them against the coordinator (seed
// 000, hotspot.md §5.3). The race they close: a thread stores "native_trans" and then loads the
// safepoint state, while the coordinator stores "synchronizing" and then loads the thread's
// state. Without a StoreLoad barrier on both sides each may miss the other's store, and a thread
// the coordinator counts as safe in native walks back into Java during the safepoint.
// - serialize page: the thread's barrier is a store to its slot of the serialize page; the
//   coordinator's is mprotect(read-only) + mprotect(read-write) of that page, whose TLB shootdown
//   interrupts every CPU running the process and so drains its store buffer. A store that meets
//   the read-only page faults and waits (safepoint_trap.c).
// - fence: a full fence in every transition (UseMembar).
// - membarrier: nothing in the transitions; the coordinator's membarrier(PRIVATE_EXPEDITED) puts a
//   full barrier into every running thread of the process (UseSystemMemoryBarrier).

#define _GNU_SOURCE
#include "safepoint_internal.h"

#include <errno.h>
#include <linux/membarrier.h>
#include <sys/mman.h>

/// The thread's side of the ordering.
static inline void order_transition(struct sp_mutator *mutator, cps_sp_ordering ordering) {
    switch (ordering) {
    case CPS_SP_SERIALIZE_PAGE:
        sp_serialize_store(mutator->serialize_slot);
        break;
    case CPS_SP_FENCE:
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        break;
    case CPS_SP_MEMBARRIER:
    case CPS_SP_UNORDERED:
        // Only the compiler is kept from reordering; the CPU may, until a membarrier.
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        break;
    }
}

/// The calling mutator's own state word (it is the only writer).
static inline uint64_t own_state(const struct sp_mutator *mutator) {
    return __atomic_load_n(&mutator->state, __ATOMIC_RELAXED);
}

void sp_transition_to_native(struct sp_mutator *mutator) {
    struct sp_engine *engine = mutator->engine;
    __atomic_store_n(&mutator->state, ts_next(own_state(mutator), TS_NATIVE), __ATOMIC_RELEASE);
    order_transition(mutator, engine->config.ordering);
    // A coordinator that saw this thread in Java may be waiting for it: native is safe too.
    if (__atomic_load_n(&engine->state, __ATOMIC_RELAXED) != SP_NOT_SYNCHRONIZED) {
        sp_announce(engine);
    }
    sp_count(&mutator->transitions);
}

void sp_transition_to_java(struct sp_mutator *mutator) {
    struct sp_engine *engine = mutator->engine;
    uint64_t word = ts_next(own_state(mutator), TS_NATIVE_TRANS);
    __atomic_store_n(&mutator->state, word, __ATOMIC_RELEASE);
    order_transition(mutator, engine->config.ordering);
    // sp_block resumes the thread in Java itself.
    if (__atomic_load_n(&engine->state, __ATOMIC_RELAXED) == SP_NOT_SYNCHRONIZED || !sp_block(mutator, 0)) {
        __atomic_store_n(&mutator->state, ts_next(word, TS_JAVA), __ATOMIC_RELEASE);
    }
    sp_count(&mutator->transitions);
}

static pthread_once_t register_once = PTHREAD_ONCE_INIT;
static int register_error;

static void register_membarrier(void) {
    if (syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) != 0) {
        register_error = errno;
    }
}

int sp_membarrier_register(void) {
    pthread_once(&register_once, register_membarrier);
    return register_error;
}

/// os::serialize_thread_states: the page read-only and back; stores that fault meanwhile wait on
/// the epoch, which is odd while the page is read-only.
static int serialize_thread_states(struct sp_engine *engine) {
    __atomic_add_fetch(&engine->serialize_epoch, 1, __ATOMIC_SEQ_CST);
    int error = 0;
    if (mprotect(engine->serialize_page, engine->page_size, PROT_READ) != 0) {
        error = errno;
    }
    if (mprotect(engine->serialize_page, engine->page_size, PROT_READ | PROT_WRITE) != 0 && error == 0) {
        error = errno;
    }
    __atomic_add_fetch(&engine->serialize_epoch, 1, __ATOMIC_SEQ_CST);
    sp_futex_wake(&engine->serialize_epoch, CPS_SP_MAX_THREADS);
    return error;
}

int sp_order_coordinator(struct sp_engine *engine) {
    // SafepointSynchronize::begin always fences after arming (OrderAccess::fence).
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    switch (engine->config.ordering) {
    case CPS_SP_SERIALIZE_PAGE:
        return serialize_thread_states(engine);
    case CPS_SP_MEMBARRIER:
        return syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0 ? 0 : errno;
    case CPS_SP_FENCE:
    case CPS_SP_UNORDERED:
        return 0;
    }
    return 0;
}

uint64_t cps_sp_transition_cost(cps_sp_ordering ordering, uint64_t transitions) {
    // A mutator of a one-off engine that never runs a safepoint: only the thread's side is timed.
    struct sp_engine engine;
    struct sp_mutator mutator;
    memset(&engine, 0, sizeof engine);
    memset(&mutator, 0, sizeof mutator);
    mutator.engine = &engine;
    engine.config.ordering = ordering;
    engine.page_size = (size_t)sysconf(_SC_PAGESIZE);
    void *page = mmap(NULL, engine.page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        return 0;
    }
    mutator.serialize_slot = page;
    uint64_t start = sp_now();
    for (uint64_t done = 0; done < transitions; done += 2) {
        sp_transition_to_native(&mutator);
        sp_transition_to_java(&mutator);
    }
    uint64_t elapsed = sp_now() - start;
    munmap(page, engine.page_size);
    return elapsed > 0 ? elapsed : 1;
}
