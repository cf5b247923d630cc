#include "CLuaShim.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- Trampoline ---- */

typedef struct ShimBox {
    shim_Body body;
    void *ctx;
    shim_Release release;
    shim_State *state; /* the VM's, found once here rather than on every call */
} ShimBox;

static const char *const BOX_META = "pagelab.shim.box";

static int box_gc(lua_State *L) {
    ShimBox *box = (ShimBox *)lua_touserdata(L, 1);
    if (box != NULL && box->release != NULL && box->ctx != NULL) {
        void *ctx = box->ctx;
        box->ctx = NULL;
        box->release(ctx);
    }
    return 0;
}

static shim_State *state_of(lua_State *L) {
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return (shim_State *)ud;
}

static int trampoline(lua_State *L) {
    ShimBox *box = (ShimBox *)lua_touserdata(L, lua_upvalueindex(1));
    shim_State *st = box->state;
    st->host_depth++;
    int n = box->body(L, box->ctx); /* Swift runs here and never raises */
    st->host_depth--;
    if (n >= 0) return n;
    if (n == SHIM_ARGERROR) {
        int arg = (int)lua_tointeger(L, -2);
        return luaL_argerror(L, arg, lua_tostring(L, -1));
    }
    if (lua_type(L, -1) == LUA_TSTRING) {
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
    }
    return lua_error(L); /* longjmp from a C frame only */
}

void shim_pushclosure(lua_State *L, shim_Body body, void *ctx, shim_Release release) {
    /* Created empty and given its __gc first, as liolib.c's newprefile: ctx is stored only once
       nothing that may raise a memory error is left, so a box is never half-owned. */
    ShimBox *box = (ShimBox *)lua_newuserdatauv(L, sizeof(ShimBox), 0);
    box->body = body;
    box->ctx = NULL;
    box->release = NULL;
    box->state = state_of(L);
    if (luaL_newmetatable(L, BOX_META)) {
        lua_pushcfunction(L, box_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushliteral(L, "function state");
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    box->ctx = ctx;
    box->release = release;
    lua_pushcclosure(L, trampoline, 1);
}

/* ---- Allocator, panic, warnings ---- */

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    shim_State *st = (shim_State *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        st->used -= old;
        return NULL;
    }
    if (st->limit != 0 && st->host_depth == 0 && nsize > old && st->used - old + nsize > st->limit) {
        if (!st->budget_armed) return NULL;
        /* Armed: crossing the limit spends the budget, and the hook raises with the script's line
           within SHIM_HOOK_STEP instructions. Until then a headroom above the limit serves, so the
           error and its traceback can still be built; past it a request fails outright. */
        if (st->exceeded == SHIM_WITHIN_BUDGET) st->exceeded = SHIM_EXCEEDED_MEMORY;
        size_t headroom = st->limit / 8 + (1u << 20);
        if (st->used - old + nsize > st->limit + headroom) return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p != NULL) st->used = st->used - old + nsize;
    return p;
}

static int panic(lua_State *L) {
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "pagelab: PANIC: unprotected error in call to Lua API (%s)\n",
            msg ? msg : "error object is not a string");
    fflush(stderr);
    return 0; /* abort */
}

/* Lua's own warning protocol (lauxlib.c's warnfoff/warnfon/warnfcont): off until "@on". */
static void warn_message(void *ud, const char *message, int tocont) {
    shim_State *st = (shim_State *)ud;
    if (!st->warn_continuing && message[0] == '@') {
        if (strcmp(message, "@on") == 0) st->warn_on = 1;
        else if (strcmp(message, "@off") == 0) st->warn_on = 0;
        return;
    }
    if (st->warn_on) {
        if (!st->warn_continuing) fputs("Lua warning: ", stderr);
        fputs(message, stderr);
        if (!tocont) fputs("\n", stderr);
    }
    st->warn_continuing = tocont;
}

lua_State *shim_newstate(shim_State *state) {
    memset(state, 0, sizeof *state);
    lua_State *L = lua_newstate(limited_alloc, state);
    if (L == NULL) return NULL;
    lua_atpanic(L, panic);
    lua_setwarnf(L, warn_message, state);
    return L;
}

/* ---- lua.c: message handler, docall, interrupt ---- */

int shim_msghandler(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

static lua_State *volatile interrupt_target = NULL;

/* ---- Budgets ---- */

uint64_t shim_now_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static void budget_hook(lua_State *L, lua_Debug *ar);
int shim_docall(lua_State *L, int nargs, int nresults);

/* The hook a budgeted thread runs with: every SHIM_HOOK_STEP instructions, or on every
   instruction once a budget is spent. */
static void rearm(lua_State *L, shim_State *st) {
    if (st->budget_armed)
        lua_sethook(L, budget_hook, LUA_MASKCOUNT, st->exceeded ? 1 : SHIM_HOOK_STEP);
    else
        lua_sethook(L, NULL, 0, 0);
}

static void account(shim_State *st) {
    st->instructions += SHIM_HOOK_STEP;
    if (st->instruction_limit != 0 && st->instructions >= st->instruction_limit) {
        st->exceeded = SHIM_EXCEEDED_INSTRUCTIONS;
        return;
    }
    if (st->deadline_ns == 0 && st->tick == NULL) return;
    uint64_t now = shim_now_ns();
    if (st->deadline_ns != 0 && now >= st->deadline_ns) {
        st->exceeded = SHIM_EXCEEDED_TIME;
    } else if (st->tick != NULL && now >= st->next_tick_ns) {
        st->next_tick_ns = now + st->tick_interval_ns;
        st->tick(st->tick_ctx); /* Swift that never calls into Lua */
    }
}

static void budget_hook(lua_State *L, lua_Debug *ar) {
    shim_State *st = state_of(L);
    if (st->exceeded == SHIM_WITHIN_BUDGET) account(st);
    if (st->exceeded == SHIM_WITHIN_BUDGET) return;
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
    /* Count events come only from Lua functions, so `ar` has the script's own line. */
    lua_getinfo(L, "Sl", ar);
    st->host_depth++; /* the message must be built even past a spent memory limit */
    lua_pushfstring(L, "%s:%d: %s", ar->short_src, ar->currentline, st->messages[st->exceeded]);
    st->host_depth--;
    lua_error(L);
}

/* A message handler runs while Lua still has hooks off for the hook that raised, so a script's
   xpcall handler could loop unhooked. The global xpcall is wrapped: once a budget is spent, the
   error passes through without the script's handler. */
static int guarded_handler(lua_State *L) {
    if (state_of(L)->exceeded != SHIM_WITHIN_BUDGET) return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int guarded_xpcall_done(lua_State *L, int status, lua_KContext ctx) {
    (void)status;
    (void)ctx;
    return lua_gettop(L);
}

static int guarded_xpcall(lua_State *L) {
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, guarded_handler, 1);
    lua_replace(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, guarded_xpcall_done);
    return lua_gettop(L);
}

static int guard_xpcall(lua_State *L) {
    lua_getglobal(L, "xpcall");
    if (lua_tocfunction(L, -1) == guarded_xpcall) return 0;
    lua_pushcclosure(L, guarded_xpcall, 1);
    lua_setglobal(L, "xpcall");
    return 0;
}

int shim_arm_budget(lua_State *L, shim_State *state) {
    state->budget_armed = 1;
    rearm(L, state);
    lua_pushcfunction(L, guard_xpcall);
    int status = shim_docall(L, 0, 0);
    if (status != LUA_OK) lua_pop(L, 1);
    return status;
}

void shim_set_budget_message(shim_State *state, int reason, const char *message) {
    if (reason <= SHIM_WITHIN_BUDGET || reason > SHIM_EXCEEDED_MEMORY) return;
    snprintf(state->messages[reason], SHIM_BUDGET_MESSAGE_SIZE, "%s", message);
}

/* ---- Interrupt ---- */

static void stop_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    rearm(L, state_of(L));
    luaL_error(L, "interrupted!");
}

void shim_interrupt(void) {
    lua_State *L = interrupt_target;
    if (L != NULL)
        lua_sethook(L, stop_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

int shim_docall(lua_State *L, int nargs, int nresults) {
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, shim_msghandler);
    lua_insert(L, base);
    lua_State *outer = interrupt_target;
    interrupt_target = L;
    int status = lua_pcall(L, nargs, nresults, base);
    interrupt_target = outer;
    lua_remove(L, base);
    return status;
}

/* ---- Searchers that load files from package.path and package.cpath ---- */

/* package.searchers[2..4] as luaL_openlibs made them: Lua files, C libraries, C roots. Recorded by
   identity, so that a sandbox can drop them wherever other code has moved them since. */
static void remember_file_searchers(lua_State *L) {
    shim_State *st = state_of(L);
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "searchers");
    for (int i = 0; i < 3; i++) {
        lua_rawgeti(L, -1, i + 2);
        st->file_searchers[i] = lua_tocfunction(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
}

static int is_file_searcher(shim_State *st, lua_CFunction f) {
    for (int i = 0; i < 3; i++)
        if (f != NULL && st->file_searchers[i] == f) return 1;
    return 0;
}

static int drop_file_searchers(lua_State *L) {
    shim_State *st = state_of(L);
    lua_getglobal(L, "package");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "path");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "cpath");
    lua_getfield(L, -1, "searchers");
    lua_Integer kept = 0, count = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= count; i++) {
        lua_rawgeti(L, -1, i);
        if (is_file_searcher(st, lua_tocfunction(L, -1))) {
            lua_pop(L, 1);
        } else {
            lua_rawseti(L, -2, ++kept);
        }
    }
    for (lua_Integer i = kept + 1; i <= count; i++) {
        lua_pushnil(L);
        lua_rawseti(L, -2, i);
    }
    return 0;
}

int shim_drop_file_searchers(lua_State *L) {
    lua_pushcfunction(L, drop_file_searchers);
    return shim_docall(L, 0, 0);
}

/* ---- Protected setup (lua.c's pmain) ---- */

static int pmain(lua_State *L) {
    shim_Body setup = (shim_Body)lua_touserdata(L, 1);
    void *ctx = lua_touserdata(L, 2);
    luaL_openlibs(L);
    remember_file_searchers(L);
    if (setup != NULL) {
        int n = setup(L, ctx);
        if (n == SHIM_RAISE) return lua_error(L);
    }
    return 0;
}

int shim_protected_setup(lua_State *L, shim_Body setup, void *ctx) {
    lua_pushcfunction(L, pmain);
    lua_pushlightuserdata(L, (void *)setup);
    lua_pushlightuserdata(L, ctx);
    return shim_docall(L, 2, 0);
}

/* ---- REPL helper ---- */

#define EOFMARK "<eof>"
#define MARKLEN (sizeof(EOFMARK) / sizeof(char) - 1)

int shim_incomplete(lua_State *L, int status) {
    if (status == LUA_ERRSYNTAX) {
        size_t lmsg;
        const char *msg = lua_tolstring(L, -1, &lmsg);
        if (lmsg >= MARKLEN && strcmp(msg + lmsg - MARKLEN, EOFMARK) == 0) {
            lua_pop(L, 1);
            return 1;
        }
    }
    return 0;
}

int shim_gc(lua_State *L, int what, int arg) { return lua_gc(L, what, arg); }
