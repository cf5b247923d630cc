/// A fixed pseudo-random bijection of 0..<count: where a pattern puts its items. A Zipf
/// pattern's hottest items land all over the footprint, as hot objects do in a heap, rather than
/// side by side in the first pages; a pointer chase follows the permutation as its list order.
///
/// Two rounds of multiply by an odd constant, xor-shift and add a key, all modulo the next
/// power of two ≥ count (each step is a bijection there), then cycle-walking: a value outside
/// 0..<count is mapped again until it falls inside, which keeps the whole a bijection of
/// 0..<count and costs under two passes on average.
struct ItemPermutation {
    let count: UInt64
    private let mask: UInt64
    private let shift: UInt64
    private let keys: (UInt64, UInt64)

    init(count: UInt64, seed: UInt64) {
        self.count = count
        let bits = max(1, UInt64(64 - (count - 1).leadingZeroBitCount))
        mask = bits == 64 ? .max : (1 << bits) - 1
        shift = max(1, bits / 2)
        var random = SplitMix64(seed: seed ^ 0x5851_F42D_4C95_7F2D)
        keys = (random.next(), random.next())
    }

    @inline(__always)
    func callAsFunction(_ item: UInt64) -> UInt64 {
        var value = item
        repeat {
            value = round(value, keys.0)
            value = round(value, keys.1)
        } while value >= count
        return value
    }

    @inline(__always)
    private func round(_ value: UInt64, _ key: UInt64) -> UInt64 {
        var mixed = (value &* 0x9E37_79B9_7F4A_7C15) & mask
        mixed ^= mixed &>> shift
        return (mixed &+ key) & mask
    }
}
