import CLua
import CLuaShim

/// What a module searcher found for a name given to `require`.
public enum LuaModuleLookup: Equatable, Sendable {
    /// The Lua source file that defines the module.
    case file(String)
    /// Not this searcher's module; the text joins `require`'s "module 'x' not found:" list.
    case notFound(String)
}

extension LuaVM {
    /// Puts a searcher right after `package.preload` in `package.searchers`, ahead of Lua's path and
    /// C searchers, so that it still works when a sandbox removes those. `resolve` maps a module
    /// name to a file; the file is compiled as text only (binary chunks can crash the VM), under
    /// the chunk name `@file` so that its errors read `file:line:`.
    /// - Returns: the searcher's index in `package.searchers`.
    @discardableResult
    public func addSearcher(_ resolve: @escaping (String) -> LuaModuleLookup) -> Int {
        let top = lua_gettop(state)
        defer { lua_settop(state, top) }
        lua_rawgeti(state, shim_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        lua_pushstring(state, "package")
        lua_rawget(state, -2)
        lua_pushstring(state, "searchers")
        lua_rawget(state, -2)
        guard lua_type(state, -1) == LUA_TTABLE else { return 0 }
        let searchers = lua_gettop(state)
        let position = 2
        // Shift the searchers from `position` on one place up, from the last.
        var index = lua_Integer(lua_rawlen(state, searchers))
        while index >= lua_Integer(position) {
            lua_rawgeti(state, searchers, index)
            lua_rawseti(state, searchers, index + 1)
            index -= 1
        }
        pushFunction(state) { call in
            let name = try call.string(1)
            switch resolve(name) {
            case .notFound(let reason):
                call.push(reason)
                return 1
            case .file(let path):
                let status = path.withCString { luaL_loadfilex(call.state, $0, "t") }
                if status != LUA_OK {
                    let reason = call.string(at: -1) ?? "cannot load the file"
                    shim_pop(call.state, 1)
                    throw LuaRaise("error loading module '\(name)' from file '\(path)':\n\t\(reason)")
                }
                call.push(path)
                return 2
            }
        }
        lua_rawseti(state, searchers, lua_Integer(position))
        return position
    }
}
