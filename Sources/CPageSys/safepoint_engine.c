// The engine's life: validate, map the pages, start the mutators; stop, join, unmap.
// HotSpot's SafepointMechanism::default_initialize reserves the polling pages the same way: a
// "bad" page that is PROT_NONE for good and a readable "good" one; the global page of JDK ≤ 9 is
// readable until a safepoint arms it.

#define _GNU_SOURCE
#include "safepoint_internal.h"
#include "worker_thread.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

/// Longest loops accepted: a counted loop of 2^36 units runs for about a minute.
static const uint64_t MAX_STRAGGLER_UNITS = (uint64_t)1 << 36;
enum { MAX_POLL_INTERVAL = 1 << 20 };

static int valid(const cps_sp_config *config) {
    int mutators = config->threads + (config->straggler_units > 0) + config->native_threads;
    size_t buffer = config->buffer_bytes;
    return config->mechanism >= CPS_SP_GLOBAL_PAGE && config->mechanism <= CPS_SP_DISPATCH &&
           config->ordering >= CPS_SP_SERIALIZE_PAGE && config->ordering <= CPS_SP_MEMBARRIER &&
           config->work >= CPS_SP_COMPUTE && config->work <= CPS_SP_COPY &&
           config->threads >= 0 && config->native_threads >= 0 && mutators >= 1 &&
           mutators <= CPS_SP_MAX_THREADS && config->poll_interval >= 1 &&
           config->poll_interval <= MAX_POLL_INTERVAL && config->straggler_units <= MAX_STRAGGLER_UNITS &&
           buffer >= CPS_SP_MIN_BUFFER && (buffer & (buffer - 1)) == 0 && config->timeout_ns > 0 &&
           (config->native_threads == 0 || config->native_units > 0) && config->nice >= 0 && config->nice <= 19 &&
           (config->back_off == 0 || config->back_off == 1);
}

static void *map_page(size_t size, int protection) {
    void *page = mmap(NULL, size, protection, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return page == MAP_FAILED ? NULL : page;
}

static void unmap(void *address, size_t length) {
    if (address != NULL) {
        munmap(address, length);
    }
}

/// Releases everything `create` made; the mutators must have been joined.
static void release(struct sp_engine *engine) {
    unmap(engine->global_page, engine->page_size);
    unmap(engine->good_page, engine->page_size);
    unmap(engine->bad_page, engine->page_size);
    unmap(engine->serialize_page, engine->page_size);
    unmap(engine->buffers, engine->buffers_length);
    free(engine->programs);
    free(engine->safe_ns);
    free(engine->safe_words);
    free(engine->was_running);
    free(engine->mutators);
    free(engine);
}

static int map_memory(struct sp_engine *engine) {
    const cps_sp_config *config = &engine->config;
    engine->global_page = map_page(engine->page_size, PROT_READ);
    engine->good_page = map_page(engine->page_size, PROT_READ);
    engine->bad_page = map_page(engine->page_size, PROT_NONE);
    engine->serialize_page = map_page(engine->page_size, PROT_READ | PROT_WRITE);
    if (!engine->global_page || !engine->good_page || !engine->bad_page || !engine->serialize_page) {
        return errno;
    }
    if (config->work != CPS_SP_COMPUTE) {
        engine->buffers_length = config->buffer_bytes * (size_t)engine->count;
        engine->buffers = map_page(engine->buffers_length, PROT_READ | PROT_WRITE);
        if (engine->buffers == NULL) {
            return errno;
        }
    }
    if (config->mechanism == CPS_SP_DISPATCH) {
        engine->programs = malloc((size_t)engine->count * (config->poll_interval + 1));
    }
    engine->safe_ns = calloc((size_t)engine->count, sizeof *engine->safe_ns);
    engine->safe_words = calloc((size_t)engine->count, sizeof *engine->safe_words);
    engine->was_running = calloc((size_t)engine->count, sizeof *engine->was_running);
    if ((config->mechanism == CPS_SP_DISPATCH && !engine->programs) || !engine->safe_ns || !engine->safe_words ||
        !engine->was_running) {
        return ENOMEM;
    }
    return 0;
}

static void prepare_mutators(struct sp_engine *engine) {
    const cps_sp_config *config = &engine->config;
    for (int index = 0; index < engine->count; index++) {
        struct sp_mutator *mutator = &engine->mutators[index];
        mutator->engine = engine;
        mutator->index = index;
        mutator->role = index < config->threads ? ROLE_POLLING
                        : index == config->threads && config->straggler_units > 0 ? ROLE_STRAGGLER
                                                                                  : ROLE_NATIVE;
        mutator->global_page = engine->global_page;
        mutator->polling_page = engine->good_page;
        // One cache line of the serialize page per thread, wrapping (HotSpot hashed the thread
        // address into the page the same way).
        mutator->serialize_slot = (uint32_t *)((char *)engine->serialize_page + ((size_t)index * 64) % engine->page_size);
        mutator->buffer = engine->buffers ? engine->buffers + config->buffer_bytes * (size_t)index : NULL;
    }
}

/// Stops the mutators and joins the first `started` of them.
static void stop_and_join(struct sp_engine *engine, int started) {
    __atomic_store_n(&engine->stop, 1, __ATOMIC_RELEASE);
    for (int index = 0; index < started; index++) {
        pthread_join(engine->mutators[index].thread, NULL);
    }
}

static int start_mutators(struct sp_engine *engine) {
    pthread_attr_t attributes;
    int error = cps_worker_attributes(&attributes);
    if (error != 0) {
        return error;
    }
    int started = 0;
    for (; started < engine->count; started++) {
        struct sp_mutator *mutator = &engine->mutators[started];
        error = pthread_create(&mutator->thread, &attributes, sp_mutator_main, mutator);
        if (error != 0) {
            break;
        }
    }
    pthread_attr_destroy(&attributes);
    if (error == 0) {
        error = sp_watchdog_start(engine);
    }
    if (error != 0) {
        stop_and_join(engine, started);
    }
    return error;
}

int cps_sp_create(const cps_sp_config *config, cps_sp_engine **result) {
    *result = NULL;
    if (!valid(config)) {
        return EINVAL;
    }
    int error = sp_trap_install();
    if (error == 0 && config->ordering == CPS_SP_MEMBARRIER) {
        error = sp_membarrier_register();
    }
    if (error != 0) {
        return error;
    }
    struct sp_engine *engine = NULL;
    if (posix_memalign((void **)&engine, 128, sizeof *engine) != 0) {
        return ENOMEM;
    }
    memset(engine, 0, sizeof *engine);
    engine->config = *config;
    engine->count = config->threads + (config->straggler_units > 0) + config->native_threads;
    engine->page_size = (size_t)sysconf(_SC_PAGESIZE);
    size_t mutators_size = sizeof(struct sp_mutator) * (size_t)engine->count;
    if (posix_memalign((void **)&engine->mutators, 128, mutators_size) != 0) {
        engine->mutators = NULL;
        release(engine);
        return ENOMEM;
    }
    memset(engine->mutators, 0, mutators_size);
    error = map_memory(engine);
    if (error == 0) {
        sp_dispatch_init(engine);
        prepare_mutators(engine);
        error = start_mutators(engine);
    }
    if (error != 0) {
        release(engine);
        return error;
    }
    *result = engine;
    return 0;
}

void cps_sp_destroy(cps_sp_engine *engine) {
    if (engine == NULL) {
        return;
    }
    sp_watchdog_stop(engine);
    stop_and_join(engine, engine->count);
    release(engine);
}

int cps_sp_mutator_count(const cps_sp_engine *engine) { return engine->count; }

void cps_sp_read_totals(const cps_sp_engine *engine, cps_sp_totals *totals) {
    memset(totals, 0, sizeof *totals);
    for (int index = 0; index < engine->count; index++) {
        const struct sp_mutator *mutator = &engine->mutators[index];
        totals->work_units += __atomic_load_n(&mutator->units, __ATOMIC_RELAXED);
        totals->poll_traps += __atomic_load_n(&mutator->poll_traps, __ATOMIC_RELAXED);
        totals->serialize_traps += __atomic_load_n(&mutator->serialize_traps, __ATOMIC_RELAXED);
        totals->transitions += __atomic_load_n(&mutator->transitions, __ATOMIC_RELAXED);
        totals->spurious += __atomic_load_n(&mutator->spurious, __ATOMIC_RELAXED);
    }
}

void cps_sp_read_pages(const cps_sp_engine *engine, cps_sp_pages *pages) {
    pages->global_page = engine->global_page;
    pages->good_page = engine->good_page;
    pages->bad_page = engine->bad_page;
    pages->serialize_page = engine->serialize_page;
}

uint64_t cps_sp_mutator_safepoints(const cps_sp_engine *engine, int index) {
    return __atomic_load_n(&engine->mutators[index].safepoints, __ATOMIC_RELAXED);
}

uint64_t cps_sp_mutator_units(const cps_sp_engine *engine, int index) {
    return __atomic_load_n(&engine->mutators[index].units, __ATOMIC_RELAXED);
}

uint64_t cps_sp_now(void) { return sp_now(); }

void cps_sp_sleep_until(uint64_t deadline_ns) {
    struct timespec deadline = {.tv_sec = (time_t)(deadline_ns / 1000000000u),
                                .tv_nsec = (long)(deadline_ns % 1000000000u)};
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL);
}
