#define _GNU_SOURCE
#include "CBaseline.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

uint64_t bl_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

typedef struct { char *from, *to; } Part;

static void *write_part(void *arg) {
    Part *part = (Part *)arg;
    for (volatile char *p = part->from; p < part->to; p += 4096) *p = 0;
    return NULL;
}

uint64_t bl_first_touch(void *base, size_t length, int threads) {
    Part parts[64];
    pthread_t ids[64];
    if (threads < 1) threads = 1;
    if (threads > 64) threads = 64;
    size_t share = (length / (size_t)threads) & ~(size_t)4095;
    uint64_t start = bl_now();
    for (int i = 0; i < threads; i++) {
        parts[i].from = (char *)base + share * (size_t)i;
        parts[i].to = i == threads - 1 ? (char *)base + length : parts[i].from + share;
        if (i > 0) pthread_create(&ids[i], NULL, write_part, &parts[i]);
    }
    write_part(&parts[0]);
    for (int i = 1; i < threads; i++) pthread_join(ids[i], NULL);
    return bl_now() - start;
}

uint64_t bl_pagemap_read(void *base, size_t length, size_t *present) {
    size_t pages = length / 4096;
    uint64_t *entries = malloc(pages * sizeof *entries);
    int fd = open("/proc/self/pagemap", O_RDONLY);
    uint64_t start = bl_now();
    ssize_t got = pread(fd, entries, pages * sizeof *entries, (off_t)((uintptr_t)base / 4096 * sizeof *entries));
    size_t count = 0;
    for (ssize_t i = 0; i < got / (ssize_t)sizeof *entries; i++) count += entries[i] >> 63;
    uint64_t elapsed = bl_now() - start;
    close(fd);
    free(entries);
    *present = count;
    return elapsed;
}

int bl_noop(lua_State *L) {
    (void)L;
    return 0;
}
