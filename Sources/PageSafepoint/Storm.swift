import CPageSys
import PageCore

/// Runs storms: an engine's mutators, and safepoints at a rate or back to back for a duration.
///
/// Throughput is measured in alternating slices, quiet (no safepoints) and stormy, so that a
/// change in the machine's other load while the storm runs (the machines are shared) shows in both
/// sides alike; the loss is 1 - stormy / quiet. Ctrl-C stops the storm between safepoints or while
/// one waits, and the engine is always closed: mutators joined, pages released.
public enum Storm {
    /// Quiet/stormy slice pairs when throughput is measured.
    static let slicePairs = 5
    /// Mutators run this long before anything is measured (buffers faulted in, caches warm).
    static let warmUpNanoseconds: UInt64 = 50_000_000

    public static func run(_ options: StormOptions) throws(PageError) -> StormResult {
        try options.check()
        let engine = try SafepointEngine(options.mutators)
        defer { engine.close() }
        var run = StormRun(options: options, engine: engine)
        try pause(warmUpNanoseconds)
        let pairs = options.measureThroughput ? slicePairs : 1
        let slice = max(options.durationNanoseconds / UInt64(pairs), 1)
        for _ in 0..<pairs where !run.isComplete {
            if options.measureThroughput {
                try run.quietSlice(slice)
            }
            try run.stormSlice(slice)
        }
        return run.result()
    }

    /// Sleeps `nanoseconds`, waking every 50 ms to notice Ctrl-C.
    static func pause(_ nanoseconds: UInt64) throws(PageError) {
        let end = cps_sp_now() + nanoseconds
        while true {
            if Interrupt.isPending { throw PageError(.interrupted, "interrupted!") }
            let now = cps_sp_now()
            if now >= end { return }
            cps_sp_sleep_until(min(end, now + 50_000_000))
        }
    }
}

/// The state of one storm: histograms, counters and log lines so far.
private struct StormRun {
    let options: StormOptions
    let engine: SafepointEngine
    let start = cps_sp_now()
    var previousEnd: UInt64
    var safepoints = 0
    var stormNanoseconds: UInt64 = 0
    var ttsp = LatencyHistogram()
    var threadTTSP = LatencyHistogram()
    var reaching = LatencyHistogram()
    var atSafepoint = LatencyHistogram()
    var total = LatencyHistogram()
    var ordering = LatencyHistogram()
    var perThread: [LatencyHistogram]
    var waitedFor: [Int]
    var violations = 0
    var log: [String] = []
    /// (units, ns) of the quiet and the stormy slices.
    var quiet: (units: UInt64, nanoseconds: UInt64) = (0, 0)
    var stormy: (units: UInt64, nanoseconds: UInt64) = (0, 0)

    init(options: StormOptions, engine: SafepointEngine) {
        self.options = options
        self.engine = engine
        previousEnd = start
        perThread = Array(repeating: LatencyHistogram(significantDigits: .two), count: engine.mutatorCount)
        waitedFor = Array(repeating: 0, count: engine.mutatorCount)
    }

    var isComplete: Bool { options.maximumSafepoints.map { safepoints >= $0 } ?? false }

    /// No safepoints for `nanoseconds`: the mutators' throughput without them.
    mutating func quietSlice(_ nanoseconds: UInt64) throws(PageError) {
        let units = engine.totals.work_units, began = cps_sp_now()
        try Storm.pause(nanoseconds)
        quiet = (quiet.units + engine.totals.work_units - units, quiet.nanoseconds + cps_sp_now() - began)
    }

    /// Safepoints for `nanoseconds`: on a schedule of `rate` per second, or back to back.
    mutating func stormSlice(_ nanoseconds: UInt64) throws(PageError) {
        let units = engine.totals.work_units, began = cps_sp_now(), end = began + nanoseconds
        defer {
            let elapsed = cps_sp_now() - began
            stormNanoseconds += elapsed
            stormy = (stormy.units + engine.totals.work_units - units, stormy.nanoseconds + elapsed)
        }
        let period = options.rate > 0 ? UInt64(1e9 / options.rate) : 0
        var next = began
        while !isComplete {
            if Interrupt.isPending { throw PageError(.interrupted, "interrupted!") }
            let now = cps_sp_now()
            if period > 0 {
                // Behind schedule (a long safepoint): start again from now rather than catch up in a burst.
                next = max(next, now)
                if next >= end { return }
                cps_sp_sleep_until(next)
                next += period
            } else if now >= end {
                return
            }
            add(try engine.safepoint(operationNanoseconds: options.operationNanoseconds))
        }
    }

    mutating func add(_ record: cps_sp_record) {
        safepoints += 1
        ttsp.record(record.last_arrival_ns - record.begin_ns)
        reaching.record(record.sync_ns - record.begin_ns)
        atSafepoint.record(record.operation_ns - record.sync_ns)
        total.record(record.end_ns - record.begin_ns)
        ordering.record(record.ordering_ns)
        violations += Int(record.violations)
        for (index, arrival) in engine.arrivals.enumerated() where arrival >= 0 {
            threadTTSP.record(UInt64(arrival))
            perThread[index].record(UInt64(arrival))
            waitedFor[index] += 1
        }
        if let format = options.logFormat {
            let times = SafepointTimes(
                begin: record.begin_ns, synchronized: record.sync_ns, cleanupEnd: record.cleanup_ns,
                leave: record.operation_ns, end: record.end_ns, previousEnd: previousEnd,
                runnable: Int(record.running), threads: engine.mutatorCount)
            log.append(SafepointLog.line(times.entry(format, operation: options.operationName, uptime: record.begin_ns - start)))
        }
        previousEnd = record.end_ns
    }

    func result() -> StormResult {
        let totals = engine.totals
        func rate(_ side: (units: UInt64, nanoseconds: UInt64)) -> Double {
            side.nanoseconds > 0 ? Double(side.units) * 1e9 / Double(side.nanoseconds) : 0
        }
        return StormResult(
            options: options, safepoints: safepoints, stormNanoseconds: stormNanoseconds,
            ttsp: ttsp.percentiles, threadTTSP: threadTTSP.percentiles, reaching: reaching.percentiles,
            atSafepoint: atSafepoint.percentiles, total: total.percentiles, ordering: ordering.percentiles,
            ttspBuckets: ttsp.buckets, throughputWithout: options.measureThroughput ? rate(quiet) : nil,
            throughputWith: rate(stormy), pollTraps: totals.poll_traps, serializeTraps: totals.serialize_traps,
            transitions: totals.transitions, spuriousPolls: totals.spurious, violations: violations,
            threads: (0..<engine.mutatorCount).map { index in
                ThreadResult(
                    index: index, role: engine.role(of: index), safepoints: engine.safepointsReached(by: index),
                    waitedFor: waitedFor[index], units: engine.units(of: index), ttsp: perThread[index].percentiles)
            },
            pages: engine.pages, log: log)
    }
}
