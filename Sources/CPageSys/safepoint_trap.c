// The safepoint's SIGSEGV handling: poll traps and serialize-page traps (see cps_safepoint.h).
//
// A fault is ours only if all of these hold, as HotSpot's JVM_handle_linux_signal checks
// is_poll_address and the pc: it was raised by the kernel for an access (si_code SEGV_ACCERR), on
// a mutator thread, at one of our two out-of-line instructions, on the polling or serialize page.
// A poll trap blocks the thread at the safepoint and resumes after the poll instruction (HotSpot
// jumps to the poll stub instead); a serialize trap waits until the page is writable again and
// retries the store (os::block_on_serialize_page_trap). Any other fault goes to the handler that
// was installed before this one, normally the core's fault trap, which turns it into an error or
// lets the process crash as it would have: it never hangs here.
// Only async-signal-safe calls: clock_gettime, futex, sigaction, raise.

#define _GNU_SOURCE
#include "fault_trap.h"
#include "safepoint_internal.h"

#include <errno.h>
#include <signal.h>
#include <ucontext.h>

__thread struct sp_mutator *sp_current __attribute__((tls_model("initial-exec")));

// The two instructions the handler recognises, each with a label on the faulting instruction and
// on the one after it.
__asm__(".text\n"
        ".p2align 4\n"
        ".globl sp_poll_page\n"
        ".hidden sp_poll_page\n"
        ".type sp_poll_page, @function\n"
        "sp_poll_page:\n"
        ".cfi_startproc\n"
        "sp_poll_instruction:\n"
        "    testl %eax, (%rdi)\n"
        "sp_poll_return:\n"
        "    ret\n"
        ".cfi_endproc\n"
        ".size sp_poll_page, .-sp_poll_page\n"
        ".p2align 4\n"
        ".globl sp_serialize_store\n"
        ".hidden sp_serialize_store\n"
        ".type sp_serialize_store, @function\n"
        "sp_serialize_store:\n"
        ".cfi_startproc\n"
        "sp_serialize_instruction:\n"
        "    movl $1, (%rdi)\n"
        "    ret\n"
        ".cfi_endproc\n"
        ".size sp_serialize_store, .-sp_serialize_store\n");

extern const char sp_poll_instruction[] __attribute__((visibility("hidden")));
extern const char sp_poll_return[] __attribute__((visibility("hidden")));
extern const char sp_serialize_instruction[] __attribute__((visibility("hidden")));

static struct sigaction previous;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static int install_error;

/// Hands the fault to the handler installed before ours, as if ours were not there.
static void chain(int signal, siginfo_t *info, void *context) {
    if (previous.sa_flags & SA_SIGINFO) {
        previous.sa_sigaction(signal, info, context);
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(signal);
    } else {
        // Default action: put it back and let the access fault again (or re-send a sent signal,
        // which stays blocked until we return).
        sigaction(signal, &previous, NULL);
        if (info->si_code <= 0) {
            raise(signal);
        }
    }
}

/// Waits until the serialize page is writable again (its epoch turns even).
static void wait_for_serialize_page(struct sp_mutator *mutator) {
    struct sp_engine *engine = mutator->engine;
    sp_count(&mutator->serialize_traps);
    uint32_t epoch;
    while (((epoch = __atomic_load_n(&engine->serialize_epoch, __ATOMIC_ACQUIRE)) & 1) != 0) {
        sp_futex_wait(&engine->serialize_epoch, epoch, 0);
    }
}

static void on_segv(int signal, siginfo_t *info, void *context) {
    ucontext_t *machine = context;
    struct sp_mutator *mutator = sp_current;
    uintptr_t address = (uintptr_t)info->si_addr;
    if (mutator != NULL && info->si_code == SEGV_ACCERR) {
        struct sp_engine *engine = mutator->engine;
        greg_t *pc = &machine->uc_mcontext.gregs[REG_RIP];
        int saved_errno = errno;
        if ((uintptr_t)*pc == (uintptr_t)sp_poll_instruction &&
            (address == (uintptr_t)engine->global_page || address == (uintptr_t)engine->bad_page)) {
            sp_count(&mutator->poll_traps);
            sp_block(mutator, 1);
            *pc = (greg_t)(uintptr_t)sp_poll_return;
            errno = saved_errno;
            return;
        }
        uintptr_t serialize = (uintptr_t)engine->serialize_page;
        if ((uintptr_t)*pc == (uintptr_t)sp_serialize_instruction && address >= serialize &&
            address < serialize + engine->page_size) {
            wait_for_serialize_page(mutator);
            errno = saved_errno;
            return;
        }
    }
    chain(signal, info, context);
}

static void install(void) {
    // The fault trap first, so that it is the handler faults that are not ours go to.
    install_error = cps_fault_trap_install();
    if (install_error == 0) {
        install_error = cps_install_fault_handler(SIGSEGV, on_segv, &previous);
    }
}

int sp_trap_install(void) {
    pthread_once(&install_once, install);
    return install_error;
}
