import CLua

/// Options beyond integers, strings and booleans: numbers, whole tables and handles, read raw like
/// the others.
extension LuaOptions {
    /// A number, integer or float.
    public func number(_ key: String) throws -> Double? {
        try field(key) { index in
            guard lua_type(call.state, index) == LUA_TNUMBER else { throw fieldError(key, expected: "number") }
            return lua_tonumberx(call.state, index, nil)
        }
    }

    /// A table, copied whole (see `LuaValue`).
    public func table(_ key: String) throws -> LuaValue? {
        try field(key) { index in
            guard lua_type(call.state, index) == LUA_TTABLE else { throw fieldError(key, expected: "table") }
            return try LuaValue.read(from: call.state, at: index)
        }
    }

    /// The open object behind a handle of `type`.
    public func object<Object>(_ key: String, of type: LuaHandleType<Object>) throws -> Object? {
        try field(key) { index in
            do {
                return try type.object(call, index)
            } catch is LuaArgumentError {
                throw fieldError(key, expected: type.name)
            }
        }
    }
}
