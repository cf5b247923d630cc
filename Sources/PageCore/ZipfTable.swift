import CPageSys
import Glibc

/// Zipf-distributed ranks in O(1) per sample: rank k (1-based) has probability k^-s / H(N, s).
///
/// The unit interval of probability is cut into 2^16 equal buckets and the table keeps the rank
/// at each cut (the inverse of the distribution function there). A sample picks a bucket with
/// the top 16 bits of a random number and a rank between the bucket's two cuts with the rest.
/// A rank whose probability exceeds 2^-16 fills whole buckets, so the head of the distribution
/// is exact to 2^-16; in the tail a bucket spans ranks whose probabilities differ by a factor of
/// about 1 + s·(width / rank), which the cuts keep near 1, so the tail is near exact too. The
/// table costs 256 KiB and about a millisecond to build, whatever N is.
///
/// The distribution function sums the first 65,536 terms exactly and the rest as the integral of
/// x^-s from k + ½ (the midpoint rule), which is how the table can serve N up to 2^32 − 1.
struct ZipfTable {
    static let bucketBits = 16
    private let cuts: [UInt32]

    /// Ranks 0..<count (0 the most frequent, count < 2^32) with exponent `exponent` (> 0).
    init(count: UInt64, exponent: Double) {
        let buckets = 1 << Self.bucketBits
        let exactTerms = Int(min(count, 65_536))
        var prefix = [Double](repeating: 0, count: exactTerms + 1)
        for k in 1...exactTerms { prefix[k] = prefix[k - 1] + pow(Double(k), -exponent) }
        let head = prefix[exactTerms]
        let oneMinus = 1 - exponent
        let logarithmic = abs(oneMinus) < 1e-9
        func integral(_ a: Double, _ b: Double) -> Double {
            logarithmic ? log(b / a) : (pow(b, oneMinus) - pow(a, oneMinus)) / oneMinus
        }
        let start = Double(exactTerms) + 0.5
        let total = head + (count > UInt64(exactTerms) ? integral(start, Double(count) + 0.5) : 0)
        var cuts = [UInt32](repeating: 0, count: buckets + 1)
        var k = 1  // the smallest exact rank whose cumulative sum reaches the target
        for bucket in 0...buckets {
            let target = total * Double(bucket) / Double(buckets)
            if target <= head {
                while k < exactTerms, prefix[k] < target { k += 1 }
                cuts[bucket] = UInt32(k - 1)
                continue
            }
            // Beyond the exact terms: invert head + ∫ from start to n + ½ = target for n.
            let remainder = target - head
            let x = logarithmic ? start * exp(remainder) : pow(pow(start, oneMinus) + oneMinus * remainder, 1 / oneMinus)
            let n = x.isFinite ? (x - 0.5).rounded(.up) : Double(count)
            cuts[bucket] = UInt32(min(max(n, Double(exactTerms + 1)), Double(count))) - 1
        }
        cuts[buckets] = UInt32(count - 1)
        self.cuts = cuts
    }

    /// Starts fetching the table entries `rank` will read for `random` into the cache.
    @inline(__always)
    func prefetch(_ random: UInt64) {
        cuts.withUnsafeBufferPointer { cps_prefetch($0.baseAddress! + Int(truncatingIfNeeded: random &>> UInt64(64 - Self.bucketBits))) }
    }

    /// The rank for 64 random bits.
    @inline(__always)
    func rank(_ random: UInt64) -> UInt64 {
        let bucket = Int(truncatingIfNeeded: random &>> UInt64(64 - Self.bucketBits))
        return cuts.withUnsafeBufferPointer { cuts in
            let low = UInt64(cuts[bucket]), high = UInt64(cuts[bucket &+ 1])
            return low &+ (random &<< UInt64(Self.bucketBits)).multipliedFullWidth(by: high &- low &+ 1).high
        }
    }
}
