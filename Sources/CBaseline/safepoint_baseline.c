/*
 * The minimal safepoint the engine is held against (scripts/bench; linux-kernel.md §6): N threads
 * compute and poll, either a global page made PROT_NONE (a SIGSEGV handler counts the thread in
 * and waits on a futex) or a per-thread padded word. The coordinator sleeps to its schedule, arms,
 * sleeps on a futex until the last thread is in, disarms and wakes them. Time to safepoint = arm
 * start to the timestamp the last thread took.
 */
#define _GNU_SOURCE
#include "CBaseline.h"

#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum { MAX_WORKERS = 64 };

typedef struct { uint32_t word; char pad[60]; uint64_t arrived_ns; char pad2[56]; } Slot;

static struct {
    int mechanism, threads;
    volatile int stop;
    char *page;
    uint32_t arrived, epoch;
    Slot slots[MAX_WORKERS];
} bl;

static __thread int worker_index = -1;

static void futex_wait(uint32_t *word, uint32_t value) { syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0); }
static void futex_wake(uint32_t *word) { syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1 << 30, NULL, NULL, 0); }

static void block(int index) {
    uint32_t epoch = __atomic_load_n(&bl.epoch, __ATOMIC_ACQUIRE);
    bl.slots[index].arrived_ns = bl_now();
    if (__atomic_add_fetch(&bl.arrived, 1, __ATOMIC_SEQ_CST) == (uint32_t)bl.threads) futex_wake(&bl.arrived);
    while (__atomic_load_n(&bl.epoch, __ATOMIC_ACQUIRE) == epoch) futex_wait(&bl.epoch, epoch);
}

static void on_segv(int signal, siginfo_t *info, void *context) {
    (void)signal; (void)context;
    if ((char *)info->si_addr == bl.page && worker_index >= 0) { block(worker_index); return; }
    abort();
}

static void *work(void *argument) {
    int index = (int)(intptr_t)argument;
    worker_index = index;
    uint64_t x = (uint64_t)index + 1;
    while (!bl.stop) {
        for (int i = 0; i < 64; i++) { x = x * 6364136223846793005u + 1442695040888963407u; __asm__("" : "+r"(x)); }
        if (bl.mechanism == 0) (void)*(volatile int *)bl.page;
        else if (__atomic_load_n(&bl.slots[index].word, __ATOMIC_RELAXED)) block(index);
    }
    return (void *)(uintptr_t)x;
}

static int compare(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

uint64_t bl_safepoint_ttsp(int mechanism, int threads, int safepoints, uint64_t period_ns) {
    if (threads < 1 || threads > MAX_WORKERS || safepoints < 1) return 0;
    memset(&bl, 0, sizeof bl);
    bl.mechanism = mechanism;
    bl.threads = threads;
    bl.page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction action, previous;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_segv;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &action, &previous);
    pthread_t ids[MAX_WORKERS];
    for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, work, (void *)(intptr_t)i);
    uint64_t *ttsp = malloc(sizeof *ttsp * (size_t)safepoints);
    uint64_t next = bl_now() + 50000000u;  /* the same 50 ms warm-up as a PageLab storm */
    for (int k = 0; k < safepoints; k++) {
        struct timespec at = {.tv_sec = (time_t)(next / 1000000000u), .tv_nsec = (long)(next % 1000000000u)};
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL);
        next = bl_now() > next + period_ns ? bl_now() : next + period_ns;
        __atomic_store_n(&bl.arrived, 0, __ATOMIC_SEQ_CST);
        uint64_t start = bl_now();
        if (mechanism == 0) mprotect(bl.page, 4096, PROT_NONE);
        else for (int i = 0; i < threads; i++) __atomic_store_n(&bl.slots[i].word, 1, __ATOMIC_RELEASE);
        uint32_t arrived;
        while ((arrived = __atomic_load_n(&bl.arrived, __ATOMIC_SEQ_CST)) < (uint32_t)threads) futex_wait(&bl.arrived, arrived);
        uint64_t last = 0;
        for (int i = 0; i < threads; i++) if (bl.slots[i].arrived_ns > last) last = bl.slots[i].arrived_ns;
        ttsp[k] = last - start;
        if (mechanism == 0) mprotect(bl.page, 4096, PROT_READ);
        else for (int i = 0; i < threads; i++) __atomic_store_n(&bl.slots[i].word, 0, __ATOMIC_RELEASE);
        __atomic_add_fetch(&bl.epoch, 1, __ATOMIC_SEQ_CST);
        futex_wake(&bl.epoch);
    }
    bl.stop = 1;
    for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);
    sigaction(SIGSEGV, &previous, NULL);
    munmap(bl.page, 4096);
    qsort(ttsp, (size_t)safepoints, sizeof *ttsp, compare);
    uint64_t median = ttsp[safepoints / 2];
    free(ttsp);
    return median;
}
