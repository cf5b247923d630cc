// Worker-thread attributes shared by every CPageSys thread pool (see worker_thread.h).

#define _GNU_SOURCE
#include "worker_thread.h"

#include <signal.h>

int cps_worker_attributes(pthread_attr_t *attributes) {
    int error = pthread_attr_init(attributes);
    if (error != 0) {
        return error;
    }
    sigset_t asynchronous;
    sigfillset(&asynchronous);
    sigdelset(&asynchronous, SIGSEGV);
    sigdelset(&asynchronous, SIGBUS);
    sigdelset(&asynchronous, SIGFPE);
    sigdelset(&asynchronous, SIGILL);
    sigdelset(&asynchronous, SIGTRAP);
    error = pthread_attr_setstacksize(attributes, 256 * 1024);
    if (error == 0) {
        error = pthread_attr_setsigmask_np(attributes, &asynchronous);
    }
    if (error != 0) {
        pthread_attr_destroy(attributes);
    }
    return error;
}
