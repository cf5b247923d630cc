import CLuaShim

extension LuaVM {
    /// Async-signal-safe: makes the running chunk stop with the error "interrupted!" at its next
    /// instruction, as `lua.c` does on Ctrl-C.
    public static let interruptRunningChunk: @convention(c) () -> Void = shim_interrupt
}
