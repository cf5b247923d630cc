/*
 * CLuaShim: the C side of the Lua bridge.
 *
 * Swift cannot import Lua's function-like macros or call its variadic functions, and it must never
 * be jumped over by a Lua error (longjmp). Everything that may raise therefore happens here, in C:
 * Swift functions are called through one trampoline that raises *after* the Swift frame returned.
 * See shared/docs/lua-embedding.md §0 and §A.4.
 */
#ifndef CLUASHIM_H
#define CLUASHIM_H

#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Stand-ins for Lua's function-like macros (not imported by Swift). ---- */
static inline void shim_pop(lua_State *L, int n) { lua_settop(L, -(n) - 1); }
static inline int shim_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline int shim_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int shim_isnoneornil(lua_State *L, int i) { return lua_type(L, i) <= 0; }
static inline const char *shim_tolstring(lua_State *L, int i, size_t *len) { return lua_tolstring(L, i, len); }
static inline void shim_remove(lua_State *L, int i) { lua_rotate(L, i, -1); lua_settop(L, -2); }
static inline void shim_insert(lua_State *L, int i) { lua_rotate(L, i, 1); }
/* The registry carries no metatable, so this lookup cannot run a metamethod or raise. */
static inline int shim_getmetatable(lua_State *L, const char *name) {
    return lua_getfield(L, LUA_REGISTRYINDEX, name);
}

/* ---- The trampoline protocol. ---- */

/* A body returns n >= 0 results, or one of these after pushing what they describe. */
#define SHIM_RAISE    (-1) /* the error value is on top; a string gets the caller's "chunk:line: " */
#define SHIM_ARGERROR (-2) /* (integer arg, string message) on top: raised as luaL_argerror does */

typedef int (*shim_Body)(lua_State *L, void *ctx);
typedef void (*shim_Release)(void *ctx);

/* Pushes a C closure that calls body(L, ctx). Lua's collector owns ctx: release(ctx) runs in __gc. */
void shim_pushclosure(lua_State *L, shim_Body body, void *ctx, shim_Release release);

/* ---- Per-VM state: the accounting allocator, the budgets and the interrupt hook. ---- */

/* Why a budgeted VM stopped (shim_State.exceeded). Once set it stays set: see shim_arm_budget. */
#define SHIM_WITHIN_BUDGET        0
#define SHIM_EXCEEDED_TIME        1
#define SHIM_EXCEEDED_INSTRUCTIONS 2
#define SHIM_EXCEEDED_MEMORY      3
#define SHIM_BUDGET_MESSAGE_SIZE  256

/* Lua instructions between two visits of the budget hook: a clock read per visit costs well under
   1% of the instructions it covers, and the reaction time stays in microseconds. */
#define SHIM_HOOK_STEP 1000

typedef void (*shim_Tick)(void *ctx);

typedef struct shim_State {
    size_t used;              /* bytes the VM holds now */
    size_t limit;             /* 0 = no limit; lifted while a Swift body runs */
    int host_depth;           /* > 0 while a Swift body runs */
    int warn_on;              /* Lua's "@on"/"@off" warning control */
    int warn_continuing;      /* the last warning piece asked to be continued */

    int budget_armed;         /* the budget hook is installed (shim_arm_budget) */
    int exceeded;             /* SHIM_EXCEEDED_*; sticky */
    uint64_t deadline_ns;     /* CLOCK_MONOTONIC; 0 = none */
    uint64_t instruction_limit; /* 0 = none; counted in steps of SHIM_HOOK_STEP */
    uint64_t instructions;    /* instructions run while armed */
    /* The text raised once a budget is spent, after "chunk:line: ". Indexed by SHIM_EXCEEDED_*. */
    char messages[4][SHIM_BUDGET_MESSAGE_SIZE];

    lua_CFunction file_searchers[3]; /* package.searchers[2..4] as luaL_openlibs made them */

    shim_Tick tick;           /* called from the hook at most once per tick_interval_ns */
    void *tick_ctx;
    uint64_t tick_interval_ns;
    uint64_t next_tick_ns;
} shim_State;

/* A new state with the accounting allocator, a panic handler and Lua's warning protocol.
   Returns NULL if memory is short. The caller owns `state`, which must outlive the lua_State;
   set state->limit after this call. */
lua_State *shim_newstate(shim_State *state);

/* lua.c's message handler: adds a traceback to the error message. */
int shim_msghandler(lua_State *L);

/* lua.c's docall: calls the function below `nargs` arguments under lua_pcall with the message
   handler, and makes `L` the target of shim_interrupt while it runs. */
int shim_docall(lua_State *L, int nargs, int nresults);

/* Async-signal-safe: asks the running docall to stop with the error "interrupted!" at the next
   Lua instruction, as lua.c's laction/lstop do. Does nothing when no docall runs. */
void shim_interrupt(void);

/* ---- Budgets: time, instructions, memory, and a periodic tick. ----
   One count hook serves them all. Once a budget is spent the hook re-arms itself on every
   instruction and raises each time, so a pcall, an xpcall handler or a __close that catches the
   error fails again at its next instruction, until the error reaches the outermost docall.
   Coroutines inherit the hook when they are created (lua_newthread copies it), so arm before the
   script runs. Two places no hook reaches: a __gc finalizer (Lua turns hooks off there) and a long
   call into C (a string pattern); the sandbox and the caller's hard deadline cover those.
   xpcall handlers are the third: Lua runs them with hooks off when the hook raised, hence the
   wrapped xpcall. */

/* Installs the budget hook on L (the main thread) and wraps the global xpcall so that its handler
   does not run once a budget is spent. Idempotent. Returns LUA_OK, or LUA_ERRMEM when memory ran
   out while wrapping (the hook is installed all the same). */
int shim_arm_budget(lua_State *L, shim_State *state);

/* Sets the text raised for `reason` (truncated to SHIM_BUDGET_MESSAGE_SIZE - 1 bytes). */
void shim_set_budget_message(shim_State *state, int reason, const char *message);

/* CLOCK_MONOTONIC in nanoseconds: the clock of deadline_ns and the tick. */
uint64_t shim_now_ns(void);

/* Runs luaL_openlibs, and `setup(L, ctx)` when not NULL, under lua_pcall (lua.c's pmain pattern). */
int shim_protected_setup(lua_State *L, shim_Body setup, void *ctx);

/* Removes the searchers that load Lua files from package.path and C libraries from package.cpath
   (wherever they now are in package.searchers) and empties both paths; other searchers stay.
   Under docall: returns a status, with the error on top when not LUA_OK. */
int shim_drop_file_searchers(lua_State *L);

/* lua.c's incomplete(): for LUA_ERRSYNTAX whose message ends in "<eof>", pops it and returns 1. */
int shim_incomplete(lua_State *L, int status);

/* lua_gc is variadic, so Swift cannot call it. */
int shim_gc(lua_State *L, int what, int arg);

#endif
