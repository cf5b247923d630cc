// Internal to CPageSys: how the library's own worker threads (touch workers, safepoint mutators)
// are created.

#ifndef CPAGESYS_WORKER_THREAD_H
#define CPAGESYS_WORKER_THREAD_H

#include <pthread.h>

/// Initialises `attributes` for a worker: a small stack (the loops need little), and every
/// asynchronous signal blocked, so that SIGINT and friends are handled by the application's own
/// threads. Returns 0, or an errno with `attributes` left destroyed.
int cps_worker_attributes(pthread_attr_t *attributes);

#endif
