// The coordinator's watchdog. The coordinator sleeps on `arrivals` without a timeout: arming a
// timer on every wait costs a few hundred nanoseconds in this VM (the TSC-deadline write exits to
// the hypervisor), all of it added to the time to safepoint of a mutator the coordinator preempted.
// Instead this thread wakes a waiting coordinator every 100 ms, so that it still notices Ctrl-C,
// its timeout, and any wake-up it could have slept through.

#define _GNU_SOURCE
#include "safepoint_internal.h"
#include "worker_thread.h"

static const uint64_t TICK_NS = 100000000u;

static void *watch(void *argument) {
    struct sp_engine *engine = argument;
    pthread_setname_np(pthread_self(), "sp-watchdog");
    while (!__atomic_load_n(&engine->stop, __ATOMIC_ACQUIRE)) {
        // Sleeps a tick, or until the engine stops (cps_sp_destroy wakes `stop`).
        sp_futex_wait(&engine->stop, 0, TICK_NS);
        if (__atomic_load_n(&engine->coordinator_waiting, __ATOMIC_SEQ_CST)) {
            sp_futex_wake(&engine->arrivals, 1);
        }
    }
    return NULL;
}

int sp_watchdog_start(struct sp_engine *engine) {
    pthread_attr_t attributes;
    int error = cps_worker_attributes(&attributes);
    if (error != 0) {
        return error;
    }
    error = pthread_create(&engine->watchdog, &attributes, watch, engine);
    pthread_attr_destroy(&attributes);
    return error;
}

void sp_watchdog_stop(struct sp_engine *engine) {
    __atomic_store_n(&engine->stop, 1, __ATOMIC_RELEASE);
    sp_futex_wake(&engine->stop, 1);
    pthread_join(engine->watchdog, NULL);
}
