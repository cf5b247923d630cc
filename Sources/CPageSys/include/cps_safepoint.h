// The native safepoint engine (hotspot.md §5): mutator threads that poll, a coordinator that
// brings them to a safepoint through SafepointSynchronize's three states, runs a VM operation and
// resumes them. Included from CPageSys.h.
//
// Mutators are C pthreads that block every asynchronous signal. A safepoint is driven by one
// coordinator thread at a time (the caller of `cps_sp_safepoint`). A SIGSEGV handler chained in
// front of the fault trap recognises poll and serialize-page faults by address *and* by the
// faulting instruction; every other SIGSEGV goes to the handler installed before it.

#ifndef CPS_SAFEPOINT_H
#define CPS_SAFEPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// How compiled code notices a pending safepoint.
typedef enum {
    /// One page for all threads, mprotect(PROT_NONE) while armed; the load faults (JDK ≤ 9).
    CPS_SP_GLOBAL_PAGE = 0,
    /// A per-thread pointer switched from a readable "good" page to a PROT_NONE "bad" page
    /// (thread-local handshakes, JDK 10+; C2's `testl rax, [polling_page]`).
    CPS_SP_THREAD_PAGE = 1,
    /// A per-thread word tested with a branch (the interpreter and C1's `testb [poll_word], 1`).
    CPS_SP_POLL_WORD = 2,
    /// Interpreted mutators dispatch every bytecode through the active table, which the
    /// coordinator overwrites with the safepoint table (TemplateInterpreter::notice_safepoints).
    CPS_SP_DISPATCH = 3,
} cps_sp_mechanism;

/// How a thread's state transition to and from native is ordered against the coordinator.
typedef enum {
    /// The thread stores to its slot of the memory serialize page; the coordinator flips the page
    /// read-only and back, and the TLB-shootdown IPIs drain every store buffer (JDK ≤ 11, !UseMembar).
    CPS_SP_SERIALIZE_PAGE = 0,
    /// A full fence in every transition (UseMembar; unconditional since JDK 12).
    CPS_SP_FENCE = 1,
    /// No fence in the transitions; the coordinator issues membarrier(PRIVATE_EXPEDITED) once per
    /// safepoint (UseSystemMemoryBarrier, JDK 20+).
    CPS_SP_MEMBARRIER = 2,
    /// No ordering at all: only for `cps_sp_transition_cost`, as the floor the others are
    /// compared with. Storms refuse it, because it is unsafe.
    CPS_SP_UNORDERED = 3,
} cps_sp_ordering;

/// What a mutator does between polls, one unit at a time.
typedef enum {
    CPS_SP_COMPUTE = 0, ///< a multiply-add (about 1 ns)
    CPS_SP_STORE = 1,   ///< initialises a 64-byte object at a bump pointer in its buffer
    CPS_SP_COPY = 2,    ///< copies 256 bytes from one half of its buffer to the other
} cps_sp_work;

enum {
    CPS_SP_MAX_THREADS = 256,
    /// The smallest per-thread buffer for store and copy work.
    CPS_SP_MIN_BUFFER = 4096,
};

typedef struct {
    cps_sp_mechanism mechanism;
    int threads;               ///< polling mutators (interpreters with CPS_SP_DISPATCH), >= 0
    cps_sp_work work;
    uint32_t poll_interval;    ///< work units between two polls, >= 1
    uint64_t straggler_units;  ///< > 0: one more mutator whose counted loop runs this many units between polls
    int native_threads;        ///< mutators that alternate between Java and native, >= 0
    cps_sp_ordering ordering;  ///< for the native transitions and the coordinator
    uint32_t java_units;       ///< native threads: units in Java (with polls) between native stints
    uint32_t native_units;     ///< native threads: units per native stint
    size_t buffer_bytes;       ///< per mutator, for store and copy work (power of two >= CPS_SP_MIN_BUFFER)
    uint64_t timeout_ns;       ///< a safepoint not reached after this long fails (SafepointTimeoutDelay)
    int nice;                  ///< 0..19: mutators run at this nice value, below the coordinator
    /// How the coordinator waits for running mutators: 0 sleeps on a futex the last arrival wakes;
    /// 1 looks, then sleeps 10 µs (1 ms after the first millisecond) and looks again, as JDK 17's
    /// SafepointSynchronize::synchronize_threads backs off (naked_short_nanosleep).
    int back_off;
} cps_sp_config;

typedef struct sp_engine cps_sp_engine;

/// Maps the polling, serialize and work pages, installs the SIGSEGV handler, registers for
/// membarrier when asked to, and starts every mutator. Returns 0, or an errno with nothing left
/// behind (EINVAL for a configuration outside the ranges above).
int cps_sp_create(const cps_sp_config *config, cps_sp_engine **engine);

/// Stops and joins every mutator and releases every page. Must not overlap `cps_sp_safepoint`.
void cps_sp_destroy(cps_sp_engine *engine);

/// The mutators, in this order: `threads` polling ones, the straggler if any, then the natives.
int cps_sp_mutator_count(const cps_sp_engine *engine);

typedef enum {
    CPS_SP_OK = 0,
    CPS_SP_TIMEOUT = 1,     ///< some mutator did not reach the safepoint within timeout_ns
    CPS_SP_INTERRUPTED = 2, ///< an interrupt (cps_interrupt_pending) arrived while waiting
    CPS_SP_FAILED = 3,      ///< arming, ordering or disarming failed; errno says why
} cps_sp_status;

/// One safepoint, as SafepointTracing sees it; times are CLOCK_MONOTONIC ns.
typedef struct {
    uint64_t begin_ns;        ///< state set to synchronizing
    uint64_t last_arrival_ns; ///< the last running mutator became safe (begin_ns if none was running)
    uint64_t sync_ns;         ///< the coordinator saw every mutator safe; state synchronized
    uint64_t cleanup_ns;      ///< end of the (empty) cleanup phase
    uint64_t operation_ns;    ///< end of the VM operation
    uint64_t end_ns;          ///< polls disarmed, state not synchronized, mutators woken
    /// How long the coordinator's ordering step took: the serialize page's two mprotects or the
    /// membarrier. 0 with fences: a clock read either side of one fence, between arming and the
    /// wait, would cost the time to safepoint more than the fence (linux-kernel.md §6's baseline
    /// reads the clock once, at the begin); `cps_sp_transition_cost` measures fences instead.
    uint64_t ordering_ns;
    int running;              ///< mutators not in native when the coordinator first looked
    int arrived;              ///< mutators that blocked at this safepoint (poll, trap or native return)
    int traps;                ///< of those, how many came through a SIGSEGV
    int violations;           ///< mutators deemed safe that entered Java before the end (must be 0)
} cps_sp_record;

/// Runs one safepoint: synchronize, a VM operation that spins for `operation_ns`, resume.
/// `arrival_ns` (NULL or one entry per mutator) receives each mutator's time to safepoint, or -1
/// for one the coordinator did not have to wait for (it was in native). On every status the
/// safepoint is ended (mutators resumed), and the record holds what was reached.
cps_sp_status cps_sp_safepoint(cps_sp_engine *engine, uint64_t operation_ns, cps_sp_record *record,
                               int64_t *arrival_ns);

/// Totals since creation.
typedef struct {
    uint64_t work_units;       ///< every mutator's completed work units
    uint64_t poll_traps;       ///< SIGSEGVs taken at a poll
    uint64_t serialize_traps;  ///< SIGSEGVs taken on the read-only serialize page
    uint64_t transitions;      ///< native threads' state transitions (both directions)
    uint64_t spurious;         ///< polls that found the safepoint already over
} cps_sp_totals;

void cps_sp_read_totals(const cps_sp_engine *engine, cps_sp_totals *totals);

/// The engine's pages, as HotSpot's -Xlog:os names the polling pages.
typedef struct {
    const void *global_page;    ///< the JDK ≤ 9 polling page (PROT_NONE while armed)
    const void *good_page;      ///< readable, the thread-local poll target while disarmed
    const void *bad_page;       ///< always PROT_NONE, the thread-local poll target while armed
    const void *serialize_page; ///< the memory serialize page
} cps_sp_pages;

void cps_sp_read_pages(const cps_sp_engine *engine, cps_sp_pages *pages);

/// How many safepoints mutator `index` blocked at.
uint64_t cps_sp_mutator_safepoints(const cps_sp_engine *engine, int index);

/// How many work units mutator `index` completed.
uint64_t cps_sp_mutator_units(const cps_sp_engine *engine, int index);

/// CLOCK_MONOTONIC in ns.
uint64_t cps_sp_now(void);

/// Sleeps until CLOCK_MONOTONIC reaches `deadline_ns` (returns early on a signal).
void cps_sp_sleep_until(uint64_t deadline_ns);

/// Seed 000's primitives, measured on the calling thread: `transitions` state transitions
/// (alternately to native and back to Java) with `ordering`'s thread-side cost. Returns the total ns,
/// or 0 with errno set when the serialize page or membarrier could not be set up.
uint64_t cps_sp_transition_cost(cps_sp_ordering ordering, uint64_t transitions);

#endif
