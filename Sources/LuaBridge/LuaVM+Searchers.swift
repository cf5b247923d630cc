import CLua
import CLuaShim

extension LuaVM {
    /// Makes `require` unable to load files through `package.path` or native code through
    /// `package.cpath`: their searchers leave `package.searchers` and both paths become empty.
    /// Other searchers (the preload one, and any a host added) keep working.
    public func dropFileSearchers() throws {
        let status = shim_drop_file_searchers(state)
        if status != LUA_OK { throw popError(status: status) }
    }
}
