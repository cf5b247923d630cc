/// What a storm measured. Durations are ns; throughput is work units per second.
public struct StormResult: Sendable {
    public let options: StormOptions
    public let safepoints: Int
    /// How long safepoints were run (the sum of the storm slices).
    public let stormNanoseconds: UInt64
    /// Per safepoint: from begin to the last running mutator becoming safe.
    public let ttsp: Percentiles
    /// Per mutator and safepoint: from begin to that mutator becoming safe.
    public let threadTTSP: Percentiles
    /// Per safepoint, as HotSpot logs them: begin to synchronized, synchronized to the end of the
    /// VM operation, and begin to end (threads resumed).
    public let reaching: Percentiles
    public let atSafepoint: Percentiles
    public let total: Percentiles
    /// The coordinator's ordering step per safepoint: the serialize page's mprotects or the
    /// membarrier (all zero with fences, which are not timed; see `cps_sp_record.ordering_ns`).
    public let ordering: Percentiles
    /// TTSP counts in power-of-two buckets, for pictures.
    public let ttspBuckets: [HistogramBucket]
    /// Without safepoints (the quiet slices) and with them; nil when not measured.
    public let throughputWithout: Double?
    public let throughputWith: Double
    /// SIGSEGVs taken at polls and on the read-only serialize page.
    public let pollTraps: UInt64
    public let serializeTraps: UInt64
    /// Native threads' transitions, and polls that found their safepoint already over.
    public let transitions: UInt64
    public let spuriousPolls: UInt64
    /// Mutators found in Java during a safepoint they were counted safe for: must be 0.
    public let violations: Int
    public let threads: [ThreadResult]
    public let pages: EnginePages
    /// One `-Xlog:safepoint` line per safepoint, when asked for.
    public let log: [String]

    /// The fraction of throughput the safepoints cost: 1 - with / without.
    public var throughputLoss: Double? {
        throughputWithout.map { $0 > 0 ? 1 - throughputWith / $0 : 0 }
    }
}

/// One mutator's share of a storm.
public struct ThreadResult: Sendable {
    public let index: Int
    public let role: MutatorRole
    /// Safepoints it blocked at.
    public let safepoints: Int
    /// Safepoints the coordinator had to wait for it (it was running, not in native).
    public let waitedFor: Int
    public let units: UInt64
    public let ttsp: Percentiles
}
