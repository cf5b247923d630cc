import Histogram

/// Nanosecond latencies in an HDR histogram (up to an hour), as
/// HotSpot's own tools and jHiccup report them.
struct LatencyHistogram {
    private var histogram: Histogram<UInt64>

    /// Three significant digits for the main distributions; two keep a per-thread one small.
    init(significantDigits: SignificantDigits = .three) {
        histogram = Histogram(highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: significantDigits)
    }

    mutating func record(_ nanoseconds: UInt64) {
        histogram.record(min(nanoseconds, histogram.highestTrackableValue))
    }

    var count: Int { Int(histogram.totalCount) }

    var percentiles: Percentiles {
        guard histogram.totalCount > 0 else { return Percentiles() }
        return Percentiles(
            count: count, p50: histogram.valueAtPercentile(50), p90: histogram.valueAtPercentile(90),
            p99: histogram.valueAtPercentile(99), p999: histogram.valueAtPercentile(99.9),
            max: histogram.maxRecorded, mean: histogram.mean)
    }

    /// Counts in power-of-two buckets from 1 µs up to the largest value: what a picture of the
    /// distribution draws.
    var buckets: [HistogramBucket] {
        guard histogram.totalCount > 0 else { return [] }
        return histogram.logarithmicBucketValues(valueUnitsInFirstBucket: 1024, logBase: 2).map {
            HistogramBucket(upTo: $0.value, count: $0.countAddedInThisIterationStep)
        }
    }
}

/// p50 to max of a latency distribution, in ns.
public struct Percentiles: Sendable, Equatable {
    public var count = 0
    public var p50: UInt64 = 0
    public var p90: UInt64 = 0
    public var p99: UInt64 = 0
    public var p999: UInt64 = 0
    public var max: UInt64 = 0
    public var mean = 0.0
}

/// The values up to `upTo` ns (and above the previous bucket's bound), and how many there were.
public struct HistogramBucket: Sendable, Equatable {
    public let upTo: UInt64
    public let count: UInt64
}
