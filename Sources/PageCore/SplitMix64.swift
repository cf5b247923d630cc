/// Steele, Lea and Flood's SplitMix64 (OOPSLA 2014): a 64-bit generator with a one-word state,
/// a few cycles per number and good statistical quality, so that random access patterns cost
/// little beside the TLB lookups they drive. Deterministic for a seed, so simulations repeat.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ z &>> 30) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ z &>> 27) &* 0x94D0_49BB_1331_11EB
        return z ^ z &>> 31
    }

    /// A number in 0..<bound without division (Lemire's multiply-high reduction).
    @inline(__always)
    mutating func next(below bound: UInt64) -> UInt64 {
        next().multipliedFullWidth(by: bound).high
    }
}
