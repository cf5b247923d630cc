// The "interpreted" mutators of the dispatch mechanism (seed 004): every bytecode is dispatched
// through the engine's active table. To bring interpreted threads to a safepoint the coordinator
// copies the safepoint table over the active one (TemplateInterpreter::notice_safepoints), whose
// every entry first blocks at the safepoint and then runs the bytecode's normal handler; it copies
// the normal table back when the safepoint ends (ignore_safepoints). No poll instruction is
// needed: the next dispatch notices.

#define _GNU_SOURCE
#include "safepoint_internal.h"
#include "safepoint_work.h"

#include <stdlib.h>

enum { BC_NOP = 0, BC_COMPUTE = 1, BC_STORE = 2, BC_COPY = 3, BC_GOTO = 4 };

/// The top-of-stack state the bytecodes here run in (HotSpot's vtos).
enum { TOS_VTOS = 9 };

struct sp_interp {
    struct sp_mutator *mutator;
    const uint8_t *code;
    uint32_t pc;
    int running;
    uint64_t units;
    struct sp_work work;
};

static void bc_nop(struct sp_interp *in) { in->pc++; }

static void bc_compute(struct sp_interp *in) {
    sp_work_unit(&in->work, CPS_SP_COMPUTE);
    in->units++;
    in->pc++;
}

static void bc_store(struct sp_interp *in) {
    sp_work_unit(&in->work, CPS_SP_STORE);
    in->units++;
    in->pc++;
}

static void bc_copy(struct sp_interp *in) {
    sp_work_unit(&in->work, CPS_SP_COPY);
    in->units++;
    in->pc++;
}

/// The loop's backward branch: where the thread publishes its progress and notices a stop.
static void bc_goto(struct sp_interp *in) {
    __atomic_store_n(&in->mutator->units, in->units, __ATOMIC_RELAXED);
    in->running = !__atomic_load_n(&in->mutator->engine->stop, __ATOMIC_RELAXED);
    in->pc = 0;
}

/// Bytecodes the programs here never contain.
static void bc_illegal(struct sp_interp *in) {
    (void)in;
    abort();
}

static sp_handler normal_handler(int bytecode) {
    switch (bytecode) {
    case BC_NOP: return bc_nop;
    case BC_COMPUTE: return bc_compute;
    case BC_STORE: return bc_store;
    case BC_COPY: return bc_copy;
    case BC_GOTO: return bc_goto;
    default: return bc_illegal;
    }
}

/// Every entry of the safepoint table.
static void bc_at_safepoint(struct sp_interp *in) {
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    sp_block(in->mutator, 0);
    normal_handler(in->code[in->pc])(in);
}

static void copy_table(struct sp_engine *engine, int safepoint) {
    for (int tos = 0; tos < SP_TOS_STATES; tos++) {
        for (int bytecode = 0; bytecode < SP_BYTECODES; bytecode++) {
            sp_handler handler = safepoint ? bc_at_safepoint : normal_handler(bytecode);
            __atomic_store_n(&engine->active_table[tos][bytecode], handler, __ATOMIC_RELEASE);
        }
    }
}

void sp_dispatch_init(struct sp_engine *engine) { copy_table(engine, 0); }

void sp_notice_safepoints(struct sp_engine *engine) { copy_table(engine, 1); }

void sp_ignore_safepoints(struct sp_engine *engine) { copy_table(engine, 0); }

static inline void dispatch(struct sp_interp *in) {
    uint8_t bytecode = in->code[in->pc];
    sp_handler handler = __atomic_load_n(&in->mutator->engine->active_table[TOS_VTOS][bytecode], __ATOMIC_RELAXED);
    handler(in);
}

/// The program: `poll_interval` work bytecodes of the configured kind, then a goto to the start.
/// Written into this mutator's slice of the engine's program memory.
static const uint8_t *write_program(struct sp_mutator *mutator) {
    const cps_sp_config *config = &mutator->engine->config;
    uint8_t *code = mutator->engine->programs + (size_t)mutator->index * (config->poll_interval + 1);
    uint8_t work = config->work == CPS_SP_STORE ? BC_STORE : config->work == CPS_SP_COPY ? BC_COPY : BC_COMPUTE;
    memset(code, work, config->poll_interval);
    code[config->poll_interval] = BC_GOTO;
    return code;
}

void sp_interpret(struct sp_mutator *mutator) {
    struct sp_interp in = {.mutator = mutator, .code = write_program(mutator), .pc = 0, .running = 1};
    sp_work_init(&in.work, mutator);
    while (in.running) {
        dispatch(&in);
    }
    sp_work_finish(&in.work, mutator);
}

void sp_dispatch_poll(struct sp_mutator *mutator) {
    static const uint8_t nop = BC_NOP;
    struct sp_interp in = {.mutator = mutator, .code = &nop, .pc = 0, .running = 1};
    dispatch(&in);
}
