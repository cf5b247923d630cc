// Internal to CPageSys: running C code under the fault trap. Not in the public header on purpose:
// the trap siglongjmps out of `body`, so `body` must be C all the way down, never Swift.

#ifndef CPAGESYS_FAULT_TRAP_H
#define CPAGESYS_FAULT_TRAP_H

#include <signal.h>
#include <stdint.h>

/// sigaction(signal) with `handler` as an SA_SIGINFO | SA_ONSTACK handler; the disposition it
/// replaces goes to `*previous`. Returns 0 or an errno.
int cps_install_fault_handler(int signal, void (*handler)(int, siginfo_t *, void *), struct sigaction *previous);

typedef struct {
    uintptr_t address; ///< si_addr of the fault
    int signal;        ///< SIGSEGV or SIGBUS
} cps_fault;

/// Runs `body(context)` on this thread with faults on [lo, hi) trapped: such a fault abandons
/// `body` (siglongjmp) and is stored in `*fault`. Requires `cps_fault_trap_install()` to have
/// succeeded. Gives this thread an alternate signal stack first if it has none.
/// Returns 0 when `body` returned, 1 after a trapped fault, or -errno when the alternate signal
/// stack could not be set up (then `body` did not run).
int cps_guarded_run(uintptr_t lo, uintptr_t hi, void (*body)(void *context), void *context,
                    cps_fault *fault);

#endif
