/*
 * The baselines scripts/bench holds PageLab against: the plainest C that does the same work.
 * Nothing in PageLab itself uses this target.
 */
#ifndef CBASELINE_H
#define CBASELINE_H

#include <lua.h>
#include <stddef.h>
#include <stdint.h>

/* Writes one byte per 4 KiB page of [base, base+length) with `threads` threads splitting the range
   in equal parts. Returns the wall time in ns. */
uint64_t bl_first_touch(void *base, size_t length, int threads);

/* Reads the pagemap entries of [base, base+length) in one pread and counts the present pages.
   Returns the wall time in ns; *present receives the count. */
uint64_t bl_pagemap_read(void *base, size_t length, size_t *present);

/* A lua_CFunction that does nothing: the floor of a call from Lua. */
int bl_noop(lua_State *L);

/* A minimal safepoint loop (safepoint_baseline.c): `threads` workers polling a global PROT_NONE
   page (mechanism 0) or a per-thread word (1); `safepoints` safepoints one every `period_ns`.
   Returns the median time to safepoint in ns (arm start to the last worker's arrival). */
uint64_t bl_safepoint_ttsp(int mechanism, int threads, int safepoints, uint64_t period_ns);

/* CLOCK_MONOTONIC in ns. */
uint64_t bl_now(void);

#endif
