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

/* ---- Per-VM state: the accounting allocator and the interrupt hook. ---- */

typedef struct shim_State {
    size_t used;              /* bytes the VM holds now */
    size_t limit;             /* 0 = no limit; lifted while a Swift body runs */
    int host_depth;           /* > 0 while a Swift body runs */
    int warn_on;              /* Lua's "@on"/"@off" warning control */
    int warn_continuing;      /* the last warning piece asked to be continued */
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

/* Runs luaL_openlibs, and `setup(L, ctx)` when not NULL, under lua_pcall (lua.c's pmain pattern). */
int shim_protected_setup(lua_State *L, shim_Body setup, void *ctx);

/* lua.c's incomplete(): for LUA_ERRSYNTAX whose message ends in "<eof>", pops it and returns 1. */
int shim_incomplete(lua_State *L, int status);

/* lua_gc is variadic, so Swift cannot call it. */
int shim_gc(lua_State *L, int what, int arg);

#endif
