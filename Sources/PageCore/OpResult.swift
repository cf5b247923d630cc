/// What one operation cost: wall time on `CLOCK_MONOTONIC`, and the page faults the process took
/// meanwhile (`getrusage(RUSAGE_SELF)`, so the faults of touch worker threads count too).
public struct OpResult: Sendable, Equatable {
    public var ns: UInt64
    public var minflt: Int
    public var majflt: Int
    /// Measured on the host, or simulated by the model (whose `ns` is an estimate of the
    /// kernel's time from the fault costs in linux-kernel.md §7).
    public var source: FigureSource

    public init(ns: UInt64, minflt: Int, majflt: Int, source: FigureSource = .measured) {
        self.ns = ns
        self.minflt = minflt
        self.majflt = majflt
        self.source = source
    }

    /// Runs `body` and measures it.
    static func measure(_ body: () throws(PageError) -> Void) throws(PageError) -> OpResult {
        let faults = Kernel.pageFaults()
        let start = Kernel.monotonicNanoseconds()
        try body()
        let end = Kernel.monotonicNanoseconds()
        let after = Kernel.pageFaults()
        return OpResult(ns: end - start, minflt: after.minor - faults.minor, majflt: after.major - faults.major)
    }
}
