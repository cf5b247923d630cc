import CPageSys
import PageCore

/// The mutator threads of an engine and how they poll.
public struct MutatorOptions: Sendable {
    public var mechanism: Mechanism = .pollWord
    /// Polling mutators (interpreters with `dispatch`).
    public var threads = 2
    public var work: Work = .compute
    /// Work units between two polls (bytecodes between two backward branches with `dispatch`).
    public var pollInterval = 64
    /// When positive, one more mutator runs a counted loop of this many units between polls.
    public var stragglerUnits = 0
    /// Mutators that alternate between Java and native.
    public var nativeThreads = 0
    public var ordering: Ordering = .fence
    /// Native threads: units in Java (with polls) between two native stints.
    public var javaUnits = 4096
    /// Native threads: units per native stint.
    public var nativeUnits = 65536
    /// Each mutator's buffer for store and copy work.
    public var bufferBytes = 1 << 20
    /// A safepoint not reached after this long fails (HotSpot's SafepointTimeoutDelay is 10 s).
    public var timeoutNanoseconds: UInt64 = 10_000_000_000
    /// Mutators run at this nice value (0...19), below the coordinator, as HotSpot's VM thread runs
    /// above Java threads where thread priorities are honoured: with more mutators than CPUs, the
    /// coordinator then gets a CPU back as soon as it wakes them, instead of after their time slices.
    public var nice = 0
    public var wait: CoordinatorWait = .futex

    public init() {}

    public static let maximumThreads = Int(CPS_SP_MAX_THREADS)
    public static let maximumPollInterval = 1 << 20
    /// A counted loop of 2^36 units runs about a minute.
    public static let maximumStragglerUnits = 1 << 36
    public static let maximumStintUnits = 1 << 32 - 1

    var mutatorCount: Int { threads + (stragglerUnits > 0 ? 1 : 0) + nativeThreads }

    /// The configuration the C engine takes, after checking every value.
    func validated() throws(PageError) -> cps_sp_config {
        try check("threads", threads, in: 0...Self.maximumThreads)
        try check("natives", nativeThreads, in: 0...Self.maximumThreads)
        guard mutatorCount >= 1, mutatorCount <= Self.maximumThreads else {
            throw invalid("threads", "\(mutatorCount) mutators in all (threads \(threads), natives \(nativeThreads), straggler \(stragglerUnits > 0 ? 1 : 0)): must be between 1 and \(Self.maximumThreads)")
        }
        try check("interval", pollInterval, in: 1...Self.maximumPollInterval)
        try check("straggler", stragglerUnits, in: 0...Self.maximumStragglerUnits)
        try check("java_units", javaUnits, in: 0...Self.maximumStintUnits)
        try check("native_units", nativeUnits, in: 1...Self.maximumStintUnits)
        guard bufferBytes >= Int(CPS_SP_MIN_BUFFER), bufferBytes <= 1 << 30, bufferBytes & (bufferBytes - 1) == 0 else {
            throw invalid("buffer", "buffer \(bufferBytes) must be a power of two between \(CPS_SP_MIN_BUFFER) and 1G")
        }
        guard timeoutNanoseconds > 0 else { throw invalid("timeout", "timeout must be positive") }
        try check("nice", nice, in: 0...19)
        return cps_sp_config(
            mechanism: mechanism.native, threads: Int32(threads), work: work.native, poll_interval: UInt32(pollInterval),
            straggler_units: UInt64(stragglerUnits), native_threads: Int32(nativeThreads), ordering: ordering.native,
            java_units: UInt32(javaUnits), native_units: UInt32(nativeUnits), buffer_bytes: bufferBytes,
            timeout_ns: timeoutNanoseconds, nice: Int32(nice), back_off: wait == .backoff ? 1 : 0)
    }
}

/// A storm: safepoints at a rate, or back to back, for a while.
public struct StormOptions: Sendable {
    public var mutators = MutatorOptions()
    /// Safepoints per second; 0 runs them back to back.
    public var rate = 0.0
    /// How long safepoints are run (the quiet slices that measure throughput come on top).
    public var durationNanoseconds: UInt64 = 1_000_000_000
    /// Stop after this many safepoints even if the duration is not over.
    public var maximumSafepoints: Int?
    /// How long the VM operation keeps the coordinator busy at each safepoint.
    public var operationNanoseconds: UInt64 = 0
    /// The VM operation's name in the log.
    public var operationName = "PageLabOperation"
    /// Alternate quiet slices with the storm to measure throughput with and without safepoints.
    public var measureThroughput = true
    /// Log lines in this `-Xlog:safepoint` format, one per safepoint.
    public var logFormat: SafepointLogFormat?

    public init() {}

    public static let maximumDuration: UInt64 = 3600 * 1_000_000_000
    public static let maximumOperation: UInt64 = 10 * 1_000_000_000

    func check() throws(PageError) {
        guard rate.isFinite, rate >= 0, rate <= 1e7 else {
            throw invalid("rate", "rate \(rate) must be between 0 (back to back) and 10000000 safepoints per second")
        }
        guard durationNanoseconds > 0, durationNanoseconds <= Self.maximumDuration else {
            throw invalid("duration", "duration \(durationNanoseconds) ns must be positive and at most an hour")
        }
        guard operationNanoseconds <= Self.maximumOperation else {
            throw invalid("operation", "operation \(operationNanoseconds) ns must be at most 10 s")
        }
        if let maximumSafepoints, maximumSafepoints < 1 {
            throw invalid("safepoints", "safepoints \(maximumSafepoints) must be positive")
        }
        guard !operationName.isEmpty, !operationName.contains("\""), !operationName.contains("\n") else {
            throw invalid("name", "operation name '\(operationName)' must be non-empty, without quotes or newlines")
        }
    }
}

func invalid(_ parameter: String, _ message: String) -> PageError {
    PageError(.invalidArgument(parameter: parameter), message)
}

private func check(_ parameter: String, _ value: Int, in range: ClosedRange<Int>) throws(PageError) {
    guard range.contains(value) else {
        throw invalid(parameter, "\(parameter) \(value) must be between \(range.lowerBound) and \(range.upperBound)")
    }
}
