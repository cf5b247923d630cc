import CPageSys

/// Ctrl-C for long operations: a SIGINT handler (see `cps_install_sigint`) marks an interrupt as
/// pending; touch, populate, collapse and lock check it between pieces and stop with
/// `PageError.Kind.interrupted`. The interrupt stays pending, failing later operations too,
/// until the driver (REPL, scenario runner) has unwound and calls `clear()`; a second Ctrl-C
/// while one is pending kills the process.
public enum Interrupt {
    /// Installs the SIGINT handler; `callback` (async-signal-safe, e.g. one that sets a Lua hook)
    /// runs in the handler after the flag is set. Calling again replaces the callback.
    public static func install(forwardingTo callback: (@convention(c) () -> Void)? = nil) {
        let error = cps_install_sigint(callback)
        // sigaction(2) fails only for an invalid signal or handler.
        precondition(error == 0, "sigaction(SIGINT) failed: \(Errno(code: error).text)")
    }

    public static var isPending: Bool { cps_interrupt_pending() }

    /// Forgets a pending interrupt.
    public static func clear() {
        cps_interrupt_clear()
    }

    /// Marks an interrupt as pending, as a SIGINT would (without the callback).
    public static func request() {
        cps_interrupt_request()
    }
}
