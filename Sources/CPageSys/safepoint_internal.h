// Internal to CPageSys: the safepoint engine's shared structures (see cps_safepoint.h).
//
// Protocol, after HotSpot's SafepointSynchronize (JDK 17) and the JDK 8 thread-state transitions:
// - `counter` is odd while a safepoint is in progress; `barrier` holds the counter while armed and
//   0 once disarmed (HotSpot's futex WaitBarrier: threads wait while it equals their tag).
// - A mutator's `state` word holds its thread state in the low two bits, a transition count above
//   them, and in the high half the counter of the safepoint it last blocked at; only the mutator
//   writes it, and always whole, so that the coordinator never pairs a state with another
//   moment's counter. The coordinator deems a mutator safe when the word says native, or blocked
//   at the current counter.
// - Every event that makes a running mutator safe bumps `arrivals`; the coordinator sleeps on it.

#ifndef CPAGESYS_SAFEPOINT_INTERNAL_H
#define CPAGESYS_SAFEPOINT_INTERNAL_H

#include "CPageSys.h"

#include <linux/futex.h>
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/// SafepointSynchronize::SynchronizeState.
enum { SP_NOT_SYNCHRONIZED = 0, SP_SYNCHRONIZING = 1, SP_SYNCHRONIZED = 2 };

/// The JavaThreadState values the engine needs, in the low bits of a mutator's state word.
enum { TS_JAVA = 0, TS_NATIVE = 1, TS_NATIVE_TRANS = 2, TS_BLOCKED = 3 };

static inline uint32_t ts_kind(uint64_t word) { return (uint32_t)word & 3u; }

/// The safepoint counter the mutator last blocked at.
static inline uint32_t ts_counter(uint64_t word) { return (uint32_t)(word >> 32); }

/// The word after a transition to `kind`: one more transition, the new kind, the same counter.
static inline uint64_t ts_next(uint64_t word, uint32_t kind) {
    uint32_t low = (((uint32_t)word >> 2) + 1u) << 2 | kind;
    return (word & 0xffffffff00000000u) | low;
}

/// The word after blocking at the safepoint with `counter`.
static inline uint64_t ts_blocked_at(uint64_t word, uint32_t counter) {
    return (uint64_t)counter << 32 | (uint32_t)ts_next(word, TS_BLOCKED);
}

enum sp_role { ROLE_POLLING, ROLE_STRAGGLER, ROLE_NATIVE };

/// The dispatch tables: HotSpot has one entry per bytecode and top-of-stack state, and
/// notice_safepoints copies all of them.
enum { SP_TOS_STATES = 10, SP_BYTECODES = 256 };

struct sp_interp;
typedef void (*sp_handler)(struct sp_interp *);

struct sp_engine;

struct sp_mutator {
    // Read at every poll; written by the coordinator when it arms and disarms.
    uint32_t poll_word;
    const void *volatile polling_page;
    // Set before the thread starts.
    struct sp_engine *engine;
    const void *global_page;
    uint32_t *serialize_slot;
    char *buffer;
    int index;
    enum sp_role role;
    pthread_t thread;
    // Written by the mutator, read by the coordinator.
    __attribute__((aligned(64))) uint64_t state;
    uint64_t reached_ns;       ///< when it last arrived at a safepoint
    uint32_t reached_by_trap;
    uint64_t units;
    uint64_t safepoints;
    uint64_t poll_traps;
    uint64_t serialize_traps;
    uint64_t transitions;
    uint64_t spurious;
    uint64_t sink;             ///< the final value of its computation, so that none is optimised away
} __attribute__((aligned(128)));

struct sp_engine {
    // Read-mostly.
    cps_sp_config config;
    int count;
    struct sp_mutator *mutators;
    size_t page_size;
    void *global_page;
    void *good_page;
    void *bad_page;
    void *serialize_page;
    char *buffers;
    size_t buffers_length;
    uint8_t *programs;
    uint32_t stop;            ///< futex: set once, when the engine is destroyed
    pthread_t watchdog;
    // The coordinator's view of one safepoint, per mutator: when it became safe (0: not yet),
    // its state word then, and whether it was running when the coordinator first looked.
    uint64_t *safe_ns;
    uint64_t *safe_words;
    uint8_t *was_running;
    // The safepoint protocol.
    __attribute__((aligned(64))) uint32_t state;
    uint32_t counter;
    uint32_t barrier;
    uint32_t serialize_epoch; ///< odd while the serialize page is read-only
    // Arrivals, written by every arriving mutator.
    __attribute__((aligned(64))) uint32_t arrivals;
    uint32_t coordinator_waiting;
    uint32_t wake_at;
    __attribute__((aligned(64))) sp_handler active_table[SP_TOS_STATES][SP_BYTECODES];
};

// MARK: - Clock and futex (all async-signal-safe)

static inline uint64_t sp_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/// Waits while `*word == expected`, at most `timeout_ns` (0: no limit). Private futex: the words
/// live in this process only.
static inline void sp_futex_wait(uint32_t *word, uint32_t expected, uint64_t timeout_ns) {
    struct timespec timeout = {.tv_sec = (time_t)(timeout_ns / 1000000000u),
                               .tv_nsec = (long)(timeout_ns % 1000000000u)};
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, timeout_ns ? &timeout : NULL, NULL, 0);
}

static inline void sp_futex_wake(uint32_t *word, int count) {
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
}

/// Adds one to a counter that only the calling mutator writes and others read atomically.
static inline void sp_count(uint64_t *counter) {
    __atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

// MARK: - Across the engine's files

/// The mutator running on this thread, for the signal handler; NULL on other threads.
extern __thread struct sp_mutator *sp_current __attribute__((tls_model("initial-exec")));

/// Installs the poll-trap SIGSEGV handler in front of the fault trap. Returns 0 or an errno.
int sp_trap_install(void);

/// The poll instruction `testl %eax, (page)`, out of line so that the signal handler can tell a
/// poll by its address (HotSpot's is_poll_address) and resume after it.
void sp_poll_page(const void *page);

/// The serialize-page store `movl $1, (slot)`, out of line for the same reason.
void sp_serialize_store(uint32_t *slot);

/// SafepointSynchronize::block: arrive at the safepoint in progress, wait until it ends, and
/// resume in Java. Returns 0 when no safepoint was in progress any more (a stale poll).
/// Async-signal-safe.
int sp_block(struct sp_mutator *mutator, int by_trap);

/// Tells a sleeping coordinator that one more mutator became safe. Async-signal-safe.
void sp_announce(struct sp_engine *engine);

/// Thread-state transitions with the configured ordering (JDK 8 ThreadStateTransition).
void sp_transition_to_native(struct sp_mutator *mutator);
void sp_transition_to_java(struct sp_mutator *mutator);

/// The coordinator's half of the ordering: os::serialize_thread_states, a fence, or membarrier.
/// Returns 0 or an errno.
int sp_order_coordinator(struct sp_engine *engine);

/// membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED), once per process. Returns 0 or an errno.
int sp_membarrier_register(void);

/// The interpreter: fills the tables, runs a mutator's bytecode loop, and swaps the tables.
void sp_dispatch_init(struct sp_engine *engine);
void sp_interpret(struct sp_mutator *mutator);
void sp_dispatch_poll(struct sp_mutator *mutator);
void sp_notice_safepoints(struct sp_engine *engine);
void sp_ignore_safepoints(struct sp_engine *engine);

/// The thread that wakes a waiting coordinator every tick (safepoint_watchdog.c). Start returns 0
/// or an errno; stop sets `stop` and joins it.
int sp_watchdog_start(struct sp_engine *engine);
void sp_watchdog_stop(struct sp_engine *engine);

/// The body of every mutator thread.
void *sp_mutator_main(void *mutator);

#endif
