// The fault trap: SIGSEGV/SIGBUS inside a guarded window become errors (see CPageSys.h).
//
// How: a guarded operation publishes a thread-local guard (window + sigjmp_buf) and calls
// sigsetjmp; the handler, if the fault is a real memory fault of the same thread inside that window,
// records it and siglongjmps back. Only C frames lie in between (fault_trap.h). Any other fault
// puts back the handler that was installed before ours and returns, so the faulting instruction
// runs again under that handler (the Swift runtime's backtracer, or the default action) and the
// process crashes as it would have without PageLab.
// Everything the handler calls is async-signal-safe (sigaction, raise; siglongjmp as HotSpot
// and every JIT use it).

#define _GNU_SOURCE
#include "fault_trap.h"
#include "CPageSys.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>

struct guard {
    uintptr_t lo;
    uintptr_t hi;
    sigjmp_buf resume;
    uintptr_t address;
    int signal;
};

/// The guard of the operation running on this thread, if any. Initial-exec TLS: reading it in the
/// handler never allocates (no __tls_get_addr on first use).
static __thread struct guard *volatile active_guard __attribute__((tls_model("initial-exec")));

static struct sigaction previous_segv;
static struct sigaction previous_bus;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static int install_error;

static void on_fault(int signal, siginfo_t *info, void *ucontext) {
    (void)ucontext;
    struct guard *guard = active_guard;
    uintptr_t address = (uintptr_t)info->si_addr;
    // si_code > 0: raised by the kernel for this access, not sent by kill(2)/raise(3).
    if (guard != NULL && info->si_code > 0 && address >= guard->lo && address < guard->hi) {
        guard->address = address;
        guard->signal = signal;
        active_guard = NULL;
        siglongjmp(guard->resume, 1);
    }
    int saved_errno = errno;
    sigaction(signal, signal == SIGSEGV ? &previous_segv : &previous_bus, NULL);
    if (info->si_code <= 0) {
        // A sent signal does not recur when we return: send it again to the restored handler
        // (it stays blocked until this handler returns).
        raise(signal);
    }
    errno = saved_errno;
}

int cps_install_fault_handler(int signal, void (*handler)(int, siginfo_t *, void *), struct sigaction *previous) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handler;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    return sigaction(signal, &action, previous) == 0 ? 0 : errno;
}

static void install(void) {
    install_error = cps_install_fault_handler(SIGSEGV, on_fault, &previous_segv);
    if (install_error != 0) {
        return;
    }
    install_error = cps_install_fault_handler(SIGBUS, on_fault, &previous_bus);
    if (install_error != 0) {
        sigaction(SIGSEGV, &previous_segv, NULL);
    }
}

int cps_fault_trap_install(void) {
    pthread_once(&install_once, install);
    return install_error;
}

// MARK: - Alternate signal stacks

/// Big enough for the handler's frame plus an AVX-512 signal frame (about 3.5 KiB).
enum { ALTSTACK_SIZE = 64 * 1024 };

static pthread_key_t altstack_key;
static pthread_once_t altstack_key_once = PTHREAD_ONCE_INIT;
static int altstack_key_error;
static __thread bool altstack_ready;

/// Thread exit: stop using the stack, then free it.
static void release_altstack(void *stack) {
    stack_t disable = {.ss_sp = NULL, .ss_flags = SS_DISABLE, .ss_size = 0};
    sigaltstack(&disable, NULL);
    munmap(stack, ALTSTACK_SIZE);
}

static void create_altstack_key(void) {
    altstack_key_error = pthread_key_create(&altstack_key, release_altstack);
}

/// Gives the calling thread an alternate signal stack (sigaltstack(2)) unless it already has one,
/// for example from the Swift runtime. Returns 0 or an errno.
static int ensure_altstack(void) {
    if (altstack_ready) {
        return 0;
    }
    stack_t current;
    if (sigaltstack(NULL, &current) != 0) {
        return errno;
    }
    if ((current.ss_flags & SS_DISABLE) == 0) {
        altstack_ready = true;
        return 0;
    }
    pthread_once(&altstack_key_once, create_altstack_key);
    if (altstack_key_error != 0) {
        return altstack_key_error;
    }
    void *stack = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
    if (stack == MAP_FAILED) {
        return errno;
    }
    stack_t ours = {.ss_sp = stack, .ss_flags = 0, .ss_size = ALTSTACK_SIZE};
    if (sigaltstack(&ours, NULL) != 0) {
        int error = errno;
        munmap(stack, ALTSTACK_SIZE);
        return error;
    }
    int error = pthread_setspecific(altstack_key, stack);
    if (error != 0) {
        release_altstack(stack);
        return error;
    }
    altstack_ready = true;
    return 0;
}

// MARK: - Guarded execution

int cps_guarded_run(uintptr_t lo, uintptr_t hi, void (*body)(void *context), void *context,
                    cps_fault *fault) {
    int error = ensure_altstack();
    if (error != 0) {
        return -error;
    }
    struct guard guard;
    guard.lo = lo;
    guard.hi = hi;
    if (sigsetjmp(guard.resume, 1) != 0) {
        // Back from the handler, which wrote these fields; read them from memory.
        volatile struct guard *trapped = &guard;
        fault->address = trapped->address;
        fault->signal = trapped->signal;
        return 1;
    }
    active_guard = &guard;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    body(context);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    active_guard = NULL;
    return 0;
}
