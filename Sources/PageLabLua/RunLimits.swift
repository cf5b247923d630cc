import LuaBridge
import PageCore
import PageSafepoint

/// The budgets of a run besides the native commit budget (`--budget`): wall-clock time and Lua
/// memory. A spent budget stops the scenario at its current line, whatever it catches.
public struct RunLimits: Sendable, Equatable {
    public struct Limit<Value: Sendable & Equatable>: Sendable, Equatable {
        public let value: Value
        /// As the user wrote it (or the default), for the message: `--timeout 2s`.
        public let text: String

        public init(_ value: Value, text: String) {
            self.value = value
            self.text = text
        }
    }

    /// Nanoseconds from the start of the run.
    public var timeout: Limit<UInt64>?
    /// Bytes of Lua memory.
    public var luaMemory: Limit<Int>?
    /// Lua instructions: a budget that gives the same verdict on every run, for manifests and tests.
    public var instructions: Limit<Int>?

    public init(timeout: Limit<UInt64>? = nil, luaMemory: Limit<Int>? = nil, instructions: Limit<Int>? = nil) {
        self.timeout = timeout
        self.luaMemory = luaMemory
        self.instructions = instructions
    }

    /// `--timeout DURATION`: 500ms, 2s, 2m, or seconds as a number.
    public static func timeout(_ text: String) throws(PageError) -> Limit<UInt64> {
        let nanoseconds = try DurationText.parse(text, parameter: "--timeout")
        guard nanoseconds > 0 else { throw PageError(.invalidArgument(parameter: "--timeout"), "--timeout must be longer than 0 (got '\(text)')") }
        return Limit(nanoseconds, text: text)
    }

    /// `--lua-memory SIZE`: 64m, 1g.
    public static func luaMemory(_ text: String) throws(PageError) -> Limit<Int> {
        let bytes = try ByteSize.parse(text)
        guard bytes > 0 else { throw PageError(.invalidArgument(parameter: "--lua-memory"), "--lua-memory must be larger than 0 (got '\(text)')") }
        return Limit(bytes, text: text)
    }

    /// No budgets: a trusted run.
    public static let none = RunLimits()

    /// What a pack from outside the project gets unless told otherwise.
    public static let untrusted = RunLimits(
        timeout: Limit(60_000_000_000, text: "60s"), luaMemory: Limit(256 << 20, text: "256m"))

    func apply(to vm: LuaVM) {
        if let timeout { vm.limitTime(timeout.value, message: message(.time)) }
        if let luaMemory { vm.limitMemory(luaMemory.value, message: message(.memory)) }
        if let instructions { vm.limitInstructions(instructions.value, message: message(.instructions)) }
    }

    /// What a scenario that ran past `budget` is told.
    func message(_ budget: LuaBudgetExceeded) -> String {
        switch budget {
        case .time: return "the scenario ran past its time budget (--timeout \(timeout?.text ?? "?"))"
        case .memory: return "the scenario ran past its Lua memory limit (--lua-memory \(luaMemory?.text ?? "?"))"
        case .instructions: return "the scenario ran past its instruction budget (\(instructions?.text ?? "?"))"
        }
    }
}

/// How a scenario runs: in the sandbox of its pack or trusted, and within which budgets.
public struct RunPolicy: Sendable, Equatable {
    /// nil: trusted, the whole standard library.
    public var sandbox: Sandbox?
    public var limits: RunLimits

    public init(sandbox: Sandbox?, limits: RunLimits) {
        self.sandbox = sandbox
        self.limits = limits
    }

    /// The user's own script, or `--trust`: no sandbox, no budget.
    public static let trusted = RunPolicy(sandbox: nil, limits: .none)

    /// Closes `vm` in before any code of the scenario runs, and starts its clock.
    func apply(to vm: LuaVM) throws {
        limits.apply(to: vm)
        try sandbox?.apply(to: vm)
    }
}

/// A scenario stopped by one of its budgets: status 124 for time (as coreutils' `timeout`), 1 for
/// the others.
public struct BudgetExceededError: Error, CustomStringConvertible {
    public let budget: LuaBudgetExceeded
    public let error: LuaScriptError
    public var description: String { error.message }
}
