import CLua
import CLuaShim

/// A Lua value kept alive in the registry for Swift, such as a scenario's table whose `run`
/// function is called after its declaration has been read.
public final class LuaReference {
    let vm: LuaVM
    let reference: Int32

    /// Takes the value on top of the stack.
    init(popping vm: LuaVM) {
        self.vm = vm
        reference = luaL_ref(vm.state, shim_registryindex())
    }

    deinit { luaL_unref(vm.state, shim_registryindex(), reference) }
}

extension LuaVM {
    /// Runs the file at `path` as a chunk named `@path` (so errors read `path:line:`), and returns
    /// its first result, both copied and kept.
    public func runFile(_ path: String) throws -> (value: LuaValue, reference: LuaReference) {
        let status = path.withCString { luaL_loadfilex(state, $0, "t") }
        if status != LUA_OK { throw popError(status: status) }
        return try keepFirstResult()
    }

    private func keepFirstResult() throws -> (value: LuaValue, reference: LuaReference) {
        let status = shim_docall(state, 0, 1)
        if status != LUA_OK { throw popError(status: status) }
        let value = (try? LuaValue.read(from: state, at: -1)) ?? .nil
        return (value, LuaReference(popping: self))
    }

    /// Calls the function in field `name` of the kept table, raw, with `arguments`.
    public func callField(_ name: String, of table: LuaReference, arguments: [LuaValue]) throws -> [LuaValue] {
        lua_rawgeti(state, shim_registryindex(), lua_Integer(table.reference))
        _ = name.withCString { lua_pushstring(state, $0) }
        lua_rawget(state, -2)
        shim_remove(state, -2)
        return try callFunctionOnTop(arguments: arguments)
    }
}
