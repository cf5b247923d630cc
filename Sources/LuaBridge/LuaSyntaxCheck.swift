import CLua
import CLuaShim

extension LuaVM {
    /// Compiles `source` as text without running it, so that a syntax error is found before a
    /// chunk is ever run (a pack's scenarios when the pack is listed or installed).
    /// - Throws: `LuaScriptError` of kind `.syntax`, whose message reads `chunk:line: ...`.
    public func checkSyntax(_ source: String, chunkName: String) throws {
        let top = lua_gettop(state)
        defer { lua_settop(state, top) }
        try load(source, chunkName: chunkName)
    }
}
