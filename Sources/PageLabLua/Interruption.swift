import LuaBridge
import PageCore

/// Ctrl-C for a whole workbench: native loops stop at their next chunk, the Lua chunk at its next
/// instruction, and the caller releases everything.
public enum Interruption {
    public static func arm() { Interrupt.install(forwardingTo: LuaVM.interruptRunningChunk) }
    public static var pending: Bool { Interrupt.isPending }
    public static func clear() { Interrupt.clear() }
}
