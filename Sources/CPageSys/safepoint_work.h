// Internal to CPageSys: one unit of a mutator's work (cps_sp_work), shared by the compiled loops
// and the interpreter's bytecodes.

#ifndef CPAGESYS_SAFEPOINT_WORK_H
#define CPAGESYS_SAFEPOINT_WORK_H

#include "safepoint_internal.h"

struct sp_work {
    uint64_t x;      ///< the computation's value, a dependency chain the compiler cannot shortcut
    char *buffer;
    size_t cursor;
    size_t mask;     ///< store: buffer size - 1; copy: half the buffer - 1
    size_t half;
};

enum { SP_OBJECT_BYTES = 64, SP_COPY_BYTES = 256 };

static inline void sp_work_init(struct sp_work *work, const struct sp_mutator *mutator) {
    size_t length = mutator->engine->config.buffer_bytes;
    work->x = (uint64_t)mutator->index + 1;
    work->buffer = mutator->buffer;
    work->cursor = 0;
    work->half = length / 2;
    work->mask = length - 1;
}

static inline __attribute__((always_inline)) void sp_work_unit(struct sp_work *work, cps_sp_work kind) {
    switch (kind) {
    case CPS_SP_COMPUTE:
        // Knuth's MMIX LCG: one multiply and one add on the critical path. The empty asm keeps
        // the compiler from folding unrolled steps into one (x*a^n + c'), which would make a
        // unit a fraction of a step.
        work->x = work->x * 6364136223846793005u + 1442695040888963407u;
        __asm__("" : "+r"(work->x));
        break;
    case CPS_SP_STORE: {
        // A TLAB allocation: bump the pointer, write the header, zero the fields.
        uint64_t *object = (uint64_t *)(work->buffer + work->cursor);
        object[0] = work->x++;
        for (int field = 1; field < SP_OBJECT_BYTES / 8; field++) object[field] = 0;
        work->cursor = (work->cursor + SP_OBJECT_BYTES) & work->mask;
        break;
    }
    case CPS_SP_COPY:
        memcpy(work->buffer + work->half + work->cursor, work->buffer + work->cursor, SP_COPY_BYTES);
        work->cursor = (work->cursor + SP_COPY_BYTES) & (work->half - 1);
        break;
    }
}

/// Keeps the result observable, so the loop that produced it stays.
static inline void sp_work_finish(const struct sp_work *work, struct sp_mutator *mutator) {
    __atomic_store_n(&mutator->sink, work->x, __ATOMIC_RELAXED);
}

#endif
