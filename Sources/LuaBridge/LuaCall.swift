import CLua
import CLuaShim

/// The stack of one call from Lua into a Swift function: readers for its arguments and writers
/// for its results. Every reader uses only Lua API functions that cannot raise, and reports a bad
/// argument by throwing `LuaArgumentError` for the trampoline to raise.
public struct LuaCall {
    public let state: OpaquePointer

    public init(_ state: OpaquePointer) { self.state = state }

    /// The number of arguments.
    public var count: Int32 { lua_gettop(state) }

    public func isNoneOrNil(_ position: Int32) -> Bool { shim_isnoneornil(state, position) != 0 }

    public func isTable(_ position: Int32) -> Bool { lua_type(state, position) == LUA_TTABLE }

    /// The type name Lua's own messages use: a userdata's `__name` when it has one.
    public func typeName(_ position: Int32) -> String {
        if lua_type(state, position) == LUA_TUSERDATA, lua_getmetatable(state, position) != 0 {
            lua_pushstring(state, "__name")
            lua_rawget(state, -2)
            defer { shim_pop(state, 2) }
            if lua_type(state, -1) == LUA_TSTRING, let name = string(at: -1) { return name }
        }
        return String(cString: lua_typename(state, lua_type(state, position)))
    }

    /// `what expected, got type`, Lua's wording for a type mismatch.
    public func typeError(_ position: Int32, expected what: String) -> LuaArgumentError {
        let got = lua_type(state, position) == LUA_TNONE ? "no value" : typeName(position)
        return LuaArgumentError(position: position, message: "\(what) expected, got \(got)")
    }

    // MARK: Reading

    /// The string at `position` without conversion, or nil when it is not a string. Lua strings may
    /// hold NULs, so the length comes from Lua, not from a terminator.
    public func string(at position: Int32) -> String? {
        guard lua_type(state, position) == LUA_TSTRING else { return nil }
        var length = 0
        guard let bytes = shim_tolstring(state, position, &length) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
    }

    /// The integer at `position` when it is an integer or a float with an exact integer value.
    public func integerValue(at position: Int32) -> Int? {
        guard lua_type(state, position) == LUA_TNUMBER else { return nil }
        var exact: Int32 = 0
        let value = lua_tointegerx(state, position, &exact)
        return exact != 0 ? Int(value) : nil
    }

    public func integer(_ position: Int32) throws -> Int {
        if let value = integerValue(at: position) { return value }
        if lua_type(state, position) == LUA_TNUMBER {
            throw LuaArgumentError(position: position, message: "number has no integer representation")
        }
        throw typeError(position, expected: "number")
    }

    public func string(_ position: Int32) throws -> String {
        guard let value = string(at: position) else { throw typeError(position, expected: "string") }
        return value
    }

    /// The whole value at `position`, tables included (see `LuaValue`).
    public func value(_ position: Int32) throws -> LuaValue {
        try LuaValue.read(from: state, at: position)
    }

    /// The options table at `position`: nil when absent; an error when it is not a table or has a
    /// key outside `allowed`, so that a misspelt option never passes silently.
    public func options(_ position: Int32, allowed: [String]) throws -> LuaOptions? {
        if isNoneOrNil(position) { return nil }
        guard lua_type(state, position) == LUA_TTABLE else { throw typeError(position, expected: "table") }
        let table = lua_absindex(state, position)
        lua_pushnil(state)
        while lua_next(state, table) != 0 {
            shim_pop(state, 1)
            guard let key = string(at: -1), allowed.contains(key) else {
                let shown = lua_type(state, -1) == LUA_TSTRING ? "'\(string(at: -1)!)'" : "of type \(typeName(-1))"
                shim_pop(state, 1)
                throw LuaArgumentError(
                    position: position,
                    message: "unknown option \(shown) (valid: \(allowed.joined(separator: ", ")))")
            }
        }
        return LuaOptions(call: self, table: table, position: position)
    }

    // MARK: Writing

    public func push(_ value: Int) { lua_pushinteger(state, lua_Integer(value)) }
    public func push(_ value: String) { _ = value.withCString { lua_pushstring(state, $0) } }
    public func pushNil() { lua_pushnil(state) }
    public func push(_ value: LuaValue) { value.push(onto: state) }

    /// Pushes a new table and fills it through `build`, which sets fields on the table on top.
    public func pushTable(capacity: Int32 = 0, _ build: (LuaTableWriter) -> Void) {
        lua_createtable(state, 0, capacity)
        build(LuaTableWriter(state: state))
    }
}

/// The fields of an options table, read raw so that no metamethod can run (and raise) under a
/// Swift frame.
public struct LuaOptions {
    let call: LuaCall
    let table: Int32
    let position: Int32

    /// Pushes the raw field `key`, runs `read` on it at the stack top, and pops it.
    func field<T>(_ key: String, _ read: (Int32) throws -> T?) throws -> T? {
        call.push(key)
        lua_rawget(call.state, table)
        defer { shim_pop(call.state, 1) }
        if lua_type(call.state, -1) == LUA_TNIL { return nil }
        return try read(lua_gettop(call.state))
    }

    func fieldError(_ key: String, expected: String) -> LuaArgumentError {
        LuaArgumentError(
            position: position,
            message: "option '\(key)': \(expected) expected, got \(call.typeName(-1))")
    }

    public func string(_ key: String) throws -> String? {
        try field(key) { index in
            guard let value = call.string(at: index) else { throw fieldError(key, expected: "string") }
            return value
        }
    }

    public func integer(_ key: String) throws -> Int? {
        try field(key) { index in
            guard let value = call.integerValue(at: index) else { throw fieldError(key, expected: "integer") }
            return value
        }
    }

    public func boolean(_ key: String) throws -> Bool? {
        try field(key) { index in
            guard lua_type(call.state, index) == LUA_TBOOLEAN else { throw fieldError(key, expected: "boolean") }
            return lua_toboolean(call.state, index) != 0
        }
    }

    /// A field that may be an integer or a string, handed to `parse` as whichever it is.
    public func integerOrString<T>(_ key: String, expected: String, _ parse: (Either) throws -> T) throws -> T? {
        try field(key) { index in
            if let value = call.integerValue(at: index) { return try parse(.integer(value)) }
            if let text = call.string(at: index) { return try parse(.string(text)) }
            throw fieldError(key, expected: expected)
        }
    }

    public enum Either {
        case integer(Int)
        case string(String)
    }
}

/// Sets fields of the table on top of the stack. A fresh table has no metatable, so raw sets are
/// exactly what a script would see.
public struct LuaTableWriter {
    let state: OpaquePointer

    public func set(_ key: String, _ value: Int) {
        lua_pushinteger(state, lua_Integer(value))
        setTop(key)
    }

    public func set(_ key: String, _ value: String) {
        _ = value.withCString { lua_pushstring(state, $0) }
        setTop(key)
    }

    public func set(_ key: String, _ value: LuaValue) {
        value.push(onto: state)
        setTop(key)
    }

    public func set(_ index: Int, _ value: Int) {
        lua_pushinteger(state, lua_Integer(value))
        lua_rawseti(state, -2, lua_Integer(index))
    }

    /// Sets `key` to a new table built by `build`.
    public func table(_ key: String, capacity: Int32 = 0, _ build: (LuaTableWriter) -> Void) {
        lua_createtable(state, 0, capacity)
        build(self)
        setTop(key)
    }

    /// Sets a metatable registered under `name` (by `LuaVM.registerMetatable`) on the table on top.
    public func setMetatable(named name: String) {
        name.withCString { luaL_setmetatable(state, $0) }
    }

    private func setTop(_ key: String) {
        _ = key.withCString { lua_pushstring(state, $0) }
        lua_rotate(state, -2, 1)
        lua_rawset(state, -3)
    }
}
