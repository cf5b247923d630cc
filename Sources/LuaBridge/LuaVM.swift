import CLua
import CLuaShim

/// One Lua state. Not `Sendable`: a `lua_State` belongs to one thread, and Swift 6 keeps it there
/// (`lua_State*` imports as `OpaquePointer`, which is not `Sendable` either).
public final class LuaVM {
    public let state: OpaquePointer
    let shimState: UnsafeMutablePointer<shim_State>
    /// The body `setTick` installed, kept alive for the hook that calls it.
    var tickBox: TickBox?

    /// Opens a state with the standard libraries, set up under `lua_pcall` as `lua.c` does.
    public init() throws {
        shimState = .allocate(capacity: 1)
        guard let state = shim_newstate(shimState) else {
            shimState.deallocate()
            throw LuaScriptError(kind: .memory, message: "not enough memory to open a Lua state", traceback: nil)
        }
        self.state = state
        let status = shim_protected_setup(state, nil, nil)
        if status != LUA_OK {
            let error = popError(status: status)
            lua_close(state)
            shimState.deallocate()
            throw error
        }
    }

    deinit {
        lua_close(state)
        shimState.deallocate()
    }

    /// Every module and handle class registered so far, with their signatures.
    public internal(set) var catalog = LuaCatalog()

    /// Bytes of memory the state holds.
    public var memoryInUse: Int { shimState.pointee.used }

    /// Caps the memory scripts may allocate (0: no cap). Swift functions are exempt while they run,
    /// so an API call they make never fails for the script's sake.
    public var memoryLimit: Int {
        get { shimState.pointee.limit }
        set { shimState.pointee.limit = newValue }
    }

    /// Runs a full garbage collection (finalizers included).
    public func collectGarbage() { _ = shim_gc(state, LUA_GCCOLLECT, 0) }

    // MARK: Registration

    /// Registers `functions` as the module `name`: `require(name)` returns it, and argument errors
    /// name the functions as Lua does for its own libraries. With `global`, the module is also a
    /// global of that name.
    public func registerModule(_ name: String, functions: [LuaFunction], global: String? = nil) {
        let top = lua_gettop(state)
        defer { lua_settop(state, top) }
        lua_createtable(state, 0, Int32(functions.count))
        let table = lua_gettop(state)
        for function in functions {
            _ = function.name.withCString { lua_pushstring(state, $0) }
            pushFunction(state, function.body)
            lua_rawset(state, table)
        }
        setLoaded(name, valueAt: table)
        if let global { setGlobal(global, valueAt: table) }
        catalog.modules.append(LuaCatalog.Module(name: name, global: global, functions: functions.map(\.signature)))
    }

    private func setLoaded(_ name: String, valueAt index: Int32) {
        lua_rawgeti(state, shim_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        lua_pushstring(state, "package")
        lua_rawget(state, -2)
        lua_pushstring(state, "loaded")
        lua_rawget(state, -2)
        _ = name.withCString { lua_pushstring(state, $0) }
        lua_pushvalue(state, index)
        lua_rawset(state, -3)
        shim_pop(state, 3)
    }

    /// Sets the global `name` to the value at `index`, raw (globals carry no metatable here).
    public func setGlobal(_ name: String, valueAt index: Int32) {
        let absolute = lua_absindex(state, index)
        lua_rawgeti(state, shim_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        _ = name.withCString { lua_pushstring(state, $0) }
        lua_pushvalue(state, absolute)
        lua_rawset(state, -3)
        shim_pop(state, 1)
    }

    /// Registers a metatable under `name` (its `__name`) whose fields are Swift functions,
    /// protected from scripts by `__metatable`.
    public func registerMetatable(_ name: String, fields: [String: LuaBody]) {
        let top = lua_gettop(state)
        defer { lua_settop(state, top) }
        guard name.withCString({ luaL_newmetatable(state, $0) }) != 0 else { return }
        for (key, body) in fields {
            _ = key.withCString { lua_pushstring(state, $0) }
            pushFunction(state, body)
            lua_rawset(state, -3)
        }
        lua_pushstring(state, "__metatable")
        _ = name.withCString { lua_pushstring(state, $0) }
        lua_rawset(state, -3)
    }

    // MARK: Running

    /// Compiles `source` (text only: binary chunks can crash the VM) and leaves the function on
    /// the stack.
    public func load(_ source: String, chunkName: String) throws {
        let status = source.withCString { text in
            chunkName.withCString { name in
                luaL_loadbufferx(state, text, source.utf8.count, name, "t")
            }
        }
        if status != LUA_OK { throw popError(status: status) }
    }

    /// Runs `source` and returns its results.
    @discardableResult
    public func run(_ source: String, chunkName: String = "=(string)") throws -> [LuaValue] {
        let top = lua_gettop(state)
        defer { lua_settop(state, top) }
        try load(source, chunkName: chunkName)
        return try callFunctionOnTop(arguments: [])
    }

    /// Calls the function on top of the stack (which it pops) with `arguments`, under `lua_pcall`
    /// with a traceback, and returns its results.
    public func callFunctionOnTop(arguments: [LuaValue]) throws -> [LuaValue] {
        let base = lua_gettop(state) - 1
        for argument in arguments { argument.push(onto: state) }
        let status = shim_docall(state, Int32(arguments.count), LUA_MULTRET)
        if status != LUA_OK { throw popError(status: status) }
        defer { lua_settop(state, base) }
        return try (base + 1 ..< lua_gettop(state) + 1).map { try LuaValue.read(from: state, at: $0) }
    }

    /// Pops the error left by a failed load or call and describes it. The message handler joins
    /// message and traceback; they are split again here so that callers can print them apart.
    func popError(status: Int32) -> LuaScriptError {
        let text = LuaCall(state).string(at: -1) ?? "(error object is a \(LuaCall(state).typeName(-1)) value)"
        shim_pop(state, 1)
        let kind: LuaScriptError.Kind
        switch status {
        case LUA_ERRSYNTAX: kind = .syntax
        case LUA_ERRMEM: kind = .memory
        case LUA_ERRERR: kind = .handler
        default: kind = .runtime
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let marker = lines.firstIndex(of: "stack traceback:") else {
            return LuaScriptError(kind: kind, message: text, traceback: nil)
        }
        return LuaScriptError(
            kind: kind, message: lines[..<marker].joined(separator: "\n"),
            traceback: lines[marker...].joined(separator: "\n"))
    }
}
