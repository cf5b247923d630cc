// SIGINT → a pending-interrupt flag that long operations poll (see CPageSys.h), plus a callback
// for the Lua side, which sets a hook there as lua.c's `laction` does.

#define _GNU_SOURCE
#include "CPageSys.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

/// Written by the handler and read by worker threads: accessed with __atomic builtins, which are
/// lock-free for sig_atomic_t and so safe in a handler.
static volatile sig_atomic_t pending;
static void (*volatile interrupt_callback)(void);

static void on_sigint(int signal) {
    int saved_errno = errno;
    if (__atomic_load_n(&pending, __ATOMIC_RELAXED)) {
        // Second Ctrl-C before the first was handled: die of SIGINT (it stays blocked until we
        // return, then the default action runs).
        struct sigaction default_action;
        memset(&default_action, 0, sizeof default_action);
        default_action.sa_handler = SIG_DFL;
        sigemptyset(&default_action.sa_mask);
        sigaction(signal, &default_action, NULL);
        raise(signal);
    } else {
        __atomic_store_n(&pending, 1, __ATOMIC_RELAXED);
        void (*callback)(void) = interrupt_callback;
        if (callback != NULL) {
            callback();
        }
    }
    errno = saved_errno;
}

int cps_install_sigint(void (*callback)(void)) {
    interrupt_callback = callback;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_sigint;
    // SA_RESTART: Swift code calling read(2) and friends never sees a stray EINTR; long kernel
    // calls are instead split into pieces with a check in between.
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGINT, &action, NULL) == 0 ? 0 : errno;
}

bool cps_interrupt_pending(void) {
    return __atomic_load_n(&pending, __ATOMIC_RELAXED) != 0;
}

void cps_interrupt_clear(void) {
    __atomic_store_n(&pending, 0, __ATOMIC_RELAXED);
}

void cps_interrupt_request(void) {
    __atomic_store_n(&pending, 1, __ATOMIC_RELAXED);
}
