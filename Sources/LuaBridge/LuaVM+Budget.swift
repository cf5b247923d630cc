import CLuaShim

/// The budget a chunk ran past. Once a budget is spent it stays spent for the life of the VM: the
/// hook raises again on every instruction, so no `pcall` can carry on after it.
public enum LuaBudgetExceeded: Int32, Sendable, Equatable {
    case time = 1
    case instructions = 2
    case memory = 3
}

extension LuaVM {
    /// Stops every chunk once `nanoseconds` from now have passed: the error reads
    /// `chunk:line: message`. Checked every `SHIM_HOOK_STEP` Lua instructions, so a long call into C
    /// (a string pattern, a native operation) overruns it until that call returns.
    public func limitTime(_ nanoseconds: UInt64, message: String) {
        setMessage(.time, message)
        shimState.pointee.deadline_ns = shim_now_ns() + max(nanoseconds, 1)
        arm()
    }

    /// Stops every chunk once about `count` Lua instructions have run (counted in steps of
    /// `SHIM_HOOK_STEP`): a budget that, unlike time, gives the same verdict on every run.
    public func limitInstructions(_ count: Int, message: String) {
        setMessage(.instructions, message)
        shimState.pointee.instruction_limit = UInt64(max(count, 1))
        arm()
    }

    /// Caps the script's memory at `bytes`, and makes crossing the cap spend the budget: the hook
    /// then raises `chunk:line: message`, and a `pcall` that catches "not enough memory" cannot go
    /// on allocating. (Plain `memoryLimit` only refuses the allocation.)
    public func limitMemory(_ bytes: Int, message: String) {
        setMessage(.memory, message)
        memoryLimit = max(bytes, 1)
        arm()
    }

    /// The budget the VM ran past, if any.
    public var exceededBudget: LuaBudgetExceeded? { LuaBudgetExceeded(rawValue: shimState.pointee.exceeded) }

    /// Calls `body` from the budget hook at most once per `nanoseconds` while Lua code runs (for
    /// periodic reports). It runs between two Lua instructions, so it must not call into this VM;
    /// it cannot raise into Lua. It does not run during a long call into C or Swift (a native
    /// touch), so callers that need a steady beat also sample around those.
    public func setTick(every nanoseconds: UInt64, _ body: @escaping () -> Void) {
        let box = TickBox(body)
        tickBox = box
        shimState.pointee.tick_interval_ns = max(nanoseconds, 1)
        shimState.pointee.next_tick_ns = shim_now_ns() + nanoseconds
        shimState.pointee.tick_ctx = Unmanaged.passUnretained(box).toOpaque()
        shimState.pointee.tick = runTick
        arm()
    }

    private func setMessage(_ reason: LuaBudgetExceeded, _ message: String) {
        message.withCString { shim_set_budget_message(shimState, reason.rawValue, $0) }
    }

    /// Fails only when the process is out of memory, and then the hook guards all but xpcall.
    private func arm() { _ = shim_arm_budget(state, shimState) }
}

/// A tick body, owned by its VM (`tickBox`) for as long as the hook may call it.
final class TickBox {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

private let runTick: shim_Tick = { context in
    guard let context else { return }
    Unmanaged<TickBox>.fromOpaque(context).takeUnretainedValue().body()
}
