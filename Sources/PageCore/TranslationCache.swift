/// A set-associative array of keys with true LRU replacement, the building block of the TLB
/// model: TLB arrays keyed by page number, paging-structure caches keyed by address prefix. A
/// key's two low bits say what it is (the page size of a TLB entry); the set comes from the rest.
///
/// Built for the simulation loop's ≥ 50 million accesses per second. Sets of 5 to 16 ways keep
/// their recency order as sixteen 4-bit way numbers in one word, most recent first: a hit moves
/// its nibble to the front, a miss replaces the way in the last nibble; and a one-byte fingerprint
/// per way in two 64-bit words, compared eight at a time (SWAR), so that a lookup reads only the
/// keys whose fingerprint matches. Sets of up to 4 ways compare all four keys at once and keep a
/// timestamp per way, evicting the oldest: a hit then costs one store, where moving a nibble
/// would chain one access's arithmetic to the next one's through the order word (the 4-entry
/// PDPTE cache, hit on every walk, is such a set). Wider sets (up to 128 ways) scan their keys
/// and evict the oldest timestamp.
///
/// The storage is raw and the methods nonmutating, so that the loop pays no copy-on-write or
/// exclusivity checks; the owner calls `deallocate()`.
struct TranslationCache {
    static let maximumWays = 128
    fileprivate static let nibbleWays = 16
    /// Sets this small compare their keys directly, which costs less than fingerprints.
    fileprivate static let scannedWays = 4

    private static let lowBytes: UInt64 = 0x0101_0101_0101_0101
    private static let sevenBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    private static let lowNibbles: UInt64 = 0x1111_1111_1111_1111
    private static let threeBits: UInt64 = 0x7777_7777_7777_7777

    /// An array's shape as a lookup uses it. Lookups take it as an argument rather than read it
    /// from the array, so that a caller that knows it at compile time (`TLBSimulator` with the
    /// default Golden Cove arrays) lets the compiler fold the branches on the number of ways and
    /// the set arithmetic into constants.
    struct Shape: Equatable {
        let ways: Int
        let setMask: UInt64
        let setBits: UInt64
        let hashed: Bool

        @inline(__always)
        init(_ geometry: TLBGeometry) {
            let sets = geometry.entries / geometry.ways
            ways = geometry.ways
            setMask = UInt64(sets - 1)
            setBits = UInt64(sets.trailingZeroBitCount)
            hashed = geometry.indexing == .xor && sets > 1
        }

        /// Words per set record (see `Layout`).
        var stride: Int {
            if ways <= TranslationCache.scannedWays { return 2 * TranslationCache.scannedWays }
            return ways <= TranslationCache.nibbleWays ? TranslationCache.narrowKeys + ways : 2 * ways
        }
        /// The bits of the recency order that hold nibbles of ways (4 × ways of them).
        var orderMask: UInt64 { ways >= 16 ? .max : (1 << (4 * UInt64(ways))) - 1 }
    }

    /// The array's sets as records of `shape.stride` words each. Sets of 5 to 16 ways: the
    /// recency order, two words of fingerprints, then the keys. Other sets: the keys, then a
    /// timestamp per way (sets of ≤ 4 ways: four of each). One record per set keeps a lookup
    /// within one or two cache lines.
    private struct Layout {
        var records: UnsafeMutablePointer<UInt64>
        var shape: Shape
        /// Sets of ≤ 4 or > 16 ways: the last timestamp given out.
        var clock: UInt64
    }

    private static let order = 0, fingerprints = 1
    fileprivate static let narrowKeys = 3

    /// A single pointer, so that the struct is cheap to keep in tables and to test for nil.
    private let layout: UnsafeMutablePointer<Layout>

    init(_ geometry: TLBGeometry) {
        let shape = Shape(geometry)
        let ways = geometry.ways, sets = geometry.sets
        let scanned = ways <= Self.scannedWays, narrow = !scanned && ways <= Self.nibbleWays
        let stride = shape.stride
        let records = UnsafeMutablePointer<UInt64>.allocate(capacity: sets * stride)
        // Way w starts at position w of the order (way 0 the most recent): any order will do
        // while the set is empty, and timestamps ways − w give the same one. Empty ways have
        // fingerprint 0 (no key has it) and key UInt64.max. The spare ways of sets of fewer than
        // 4 ways hold UInt64.max, which no key equals, with timestamp UInt64.max: never evicted.
        let initialOrder = (0..<min(ways, 16)).reduce(UInt64(0)) { $0 | UInt64($1) << (4 * $1) }
        for set in 0..<sets {
            let record = records + set * stride
            if scanned {
                record.initialize(repeating: .max, count: stride)
                for way in 0..<ways { record[Self.scannedWays + way] = UInt64(ways - way) }
            } else if narrow {
                record[Self.order] = initialOrder
                record[Self.fingerprints] = 0
                record[Self.fingerprints + 1] = 0
                (record + Self.narrowKeys).initialize(repeating: .max, count: ways)
            } else {
                record.initialize(repeating: .max, count: ways)
                (record + ways).initialize(repeating: 0, count: ways)
            }
        }
        layout = .allocate(capacity: 1)
        layout.initialize(to: Layout(records: records, shape: shape, clock: scanned ? UInt64(ways) : 0))
    }

    func deallocate() {
        layout.pointee.records.deallocate()
        layout.deallocate()
    }

    /// The shape this array was built with.
    var shape: Shape { layout.pointee.shape }

    /// Looks `key` up and makes it the most recent of its set, inserting it in place of the
    /// least recent on a miss. Returns whether it was there. `shape` is the array's own.
    @inline(__always)
    func access(_ key: UInt64, _ shape: Shape) -> Bool {
        assert(shape == layout.pointee.shape, "a lookup with another array's shape")
        let ways = shape.ways
        let number = key &>> 2
        let set = Int(truncatingIfNeeded: shape.hashed
            ? (number ^ number &>> shape.setBits) & shape.setMask
            : number & shape.setMask)
        let record = layout.pointee.records + set &* shape.stride
        if ways <= Self.scannedWays { return accessScanned(key, record) }
        guard ways <= Self.nibbleWays else { return accessWide(key, record, ways: ways) }
        let keys = record + Self.narrowKeys
        let hash = (key &* 0x9E37_79B9_7F4A_7C15) &>> 56
        let fingerprint = hash &+ ((hash &- 1) &>> 63)  // 1...255: 0 marks an empty way
        let pattern = fingerprint &* Self.lowBytes
        // The matching fingerprints of both words in one mask: ways 0-7 at bit 8w, ways 8-15 at
        // bit 8(w - 8) + 1, so that whether anything matched is one branch, not one per word
        // (which word holds a key is as unpredictable as the key).
        var matches = Self.zeroBytes(record[Self.fingerprints] ^ pattern) &>> 7
        if ways > 8 { matches |= Self.zeroBytes(record[Self.fingerprints &+ 1] ^ pattern) &>> 6 }
        while matches != 0 {
            let bit = matches.trailingZeroBitCount
            let way = bit &>> 3 | (bit & 1) &<< 3
            if keys[way] == key {
                record[Self.order] = Self.moveToFront(way, record[Self.order], shape.orderMask)
                return true
            }
            matches &= matches &- 1
        }
        let order = record[Self.order]
        let victim = Int(truncatingIfNeeded: (order &>> (UInt64(ways &- 1) &<< 2)) & 0xF)
        keys[victim] = key
        let word = Self.fingerprints &+ victim &>> 3, shift = UInt64((victim & 7) &<< 3)
        record[word] = record[word] & ~(0xFF &<< shift) | fingerprint &<< shift
        record[Self.order] = (order &<< 4 | UInt64(victim)) & shape.orderMask
        return false
    }

    /// The high bit of every byte of `value` that is zero (exact: Hacker's Delight §6-1).
    @inline(__always)
    private static func zeroBytes(_ value: UInt64) -> UInt64 {
        ~(((value & sevenBits) &+ sevenBits) | value | sevenBits)
    }

    /// `order` with the nibble of `way` taken out and put first. No shortcut for a way already
    /// first (the general case gives the same result): where hits land on any way, as Zipf
    /// accesses' do, that branch mispredicts (2% more accesses a second without it).
    @inline(__always)
    private static func moveToFront(_ way: Int, _ order: UInt64, _ orderMask: UInt64) -> UInt64 {
        let difference = order ^ UInt64(way) &* lowNibbles
        // The high bit of the nibble that holds `way` (exact, as for bytes).
        let found = ~(((difference & threeBits) &+ threeBits) | difference | threeBits) & orderMask
        let position = UInt64(found.trailingZeroBitCount & ~3)
        let before = order & ((1 &<< position) &- 1)
        let after = position == 60 ? 0 : order & (UInt64.max &<< (position &+ 4))
        return after | before &<< 4 | UInt64(way)
    }

    /// Sets of up to 4 ways: the four keys compared without a branch per way (where a key sits
    /// varies from access to access, which the CPU cannot predict), and timestamps for the order.
    @inline(__always)
    private func accessScanned(_ key: UInt64, _ record: UnsafeMutablePointer<UInt64>) -> Bool {
        let stamps = record + Self.scannedWays
        layout.pointee.clock &+= 1
        let now = layout.pointee.clock
        var found = UInt64(record[0] == key ? 1 : 0) | UInt64(record[1] == key ? 2 : 0)
        found |= UInt64(record[2] == key ? 4 : 0) | UInt64(record[3] == key ? 8 : 0)
        if found != 0 {
            stamps[found.trailingZeroBitCount] = now
            return true
        }
        let (s0, s1, s2, s3) = (stamps[0], stamps[1], stamps[2], stamps[3])
        let (low, lowStamp) = s1 < s0 ? (1, s1) : (0, s0)
        let (high, highStamp) = s3 < s2 ? (3, s3) : (2, s2)
        let oldest = highStamp < lowStamp ? high : low
        record[oldest] = key
        stamps[oldest] = now
        return false
    }

    /// Sets of more than 16 ways: a scan of the keys, and timestamps for the order.
    @inline(never)
    private func accessWide(_ key: UInt64, _ record: UnsafeMutablePointer<UInt64>, ways: Int) -> Bool {
        let stamps = record + ways
        layout.pointee.clock &+= 1
        let now = layout.pointee.clock
        var oldest = 0
        for way in 0..<ways {
            if record[way] == key {
                stamps[way] = now
                return true
            }
            if stamps[way] < stamps[oldest] { oldest = way }
        }
        record[oldest] = key
        stamps[oldest] = now
        return false
    }
}
