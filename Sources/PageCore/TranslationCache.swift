/// A set-associative array of keys with true LRU replacement, the building block of the TLB
/// model: TLB arrays keyed by page number, paging-structure caches keyed by address prefix. A
/// key's two low bits say what it is (the page size of a TLB entry); the set comes from the rest.
///
/// Built for the simulation loop's ≥ 50 million accesses per second. Sets of up to 16 ways (every
/// array of the Golden Cove defaults) keep their recency order as sixteen 4-bit way numbers in
/// one word, most recent first: a hit moves its nibble to the front, a miss replaces the way in
/// the last nibble. Sets of 5 to 16 ways also keep a one-byte fingerprint per way in two 64-bit
/// words, compared eight at a time (SWAR), so that a lookup reads only the keys whose
/// fingerprint matches; sets of up to 4 ways compare their keys directly. Wider sets (up to 128
/// ways) scan their keys and evict the oldest timestamp.
///
/// The storage is raw and the methods nonmutating, so that the loop pays no copy-on-write or
/// exclusivity checks; the owner calls `deallocate()`.
struct TranslationCache {
    static let maximumWays = 128
    private static let nibbleWays = 16
    /// Sets this small compare their keys directly, which costs less than fingerprints.
    private static let scannedWays = 4

    private static let lowBytes: UInt64 = 0x0101_0101_0101_0101
    private static let sevenBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    private static let lowNibbles: UInt64 = 0x1111_1111_1111_1111
    private static let threeBits: UInt64 = 0x7777_7777_7777_7777

    /// The array's shape, and its sets as records of `stride` words each. Sets of ≤ 16 ways:
    /// the recency order, two words of fingerprints, then the keys. Wider sets: the keys, then a
    /// timestamp per way. One record per set keeps a lookup within one or two cache lines.
    private struct Layout {
        var records: UnsafeMutablePointer<UInt64>
        var stride: Int
        var ways: Int
        var setMask: UInt64
        var setBits: UInt64
        var hashed: Bool
        /// The bits of the recency order that hold nibbles of ways (4 × ways of them).
        var orderMask: UInt64
        /// Wider sets: the last timestamp given out.
        var clock: UInt64
    }

    private static let order = 0, fingerprints = 1, narrowKeys = 3

    /// A single pointer, so that the struct is cheap to keep in tables and to test for nil.
    private let layout: UnsafeMutablePointer<Layout>

    init(_ geometry: TLBGeometry) {
        let ways = geometry.ways, sets = geometry.sets
        let narrow = ways <= Self.nibbleWays
        let stride = narrow ? Self.narrowKeys + ways : 2 * ways
        let records = UnsafeMutablePointer<UInt64>.allocate(capacity: sets * stride)
        // Way w starts at position w of the order: any order will do while the set is empty.
        // Empty ways have fingerprint 0 (no key has it), key UInt64.max and timestamp 0.
        let initialOrder = (0..<min(ways, 16)).reduce(UInt64(0)) { $0 | UInt64($1) << (4 * $1) }
        for set in 0..<sets {
            let record = records + set * stride
            if narrow {
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
        layout.initialize(to: Layout(
            records: records, stride: stride, ways: ways,
            setMask: UInt64(sets - 1), setBits: UInt64(sets.trailingZeroBitCount),
            hashed: geometry.indexing == .xor && sets > 1,
            orderMask: ways >= 16 ? .max : (1 << (4 * UInt64(ways))) - 1, clock: 0))
    }

    func deallocate() {
        layout.pointee.records.deallocate()
        layout.deallocate()
    }

    /// Looks `key` up and makes it the most recent of its set, inserting it in place of the
    /// least recent on a miss. Returns whether it was there.
    @inline(__always)
    func access(_ key: UInt64) -> Bool {
        let ways = layout.pointee.ways
        let number = key &>> 2
        let set = Int(truncatingIfNeeded: layout.pointee.hashed
            ? (number ^ number &>> layout.pointee.setBits) & layout.pointee.setMask
            : number & layout.pointee.setMask)
        let record = layout.pointee.records + set &* layout.pointee.stride
        guard ways <= Self.nibbleWays else { return accessWide(key, record) }
        let keys = record + Self.narrowKeys
        if ways <= Self.scannedWays {
            for way in 0..<ways where keys[way] == key {
                record[Self.order] = Self.moveToFront(way, record[Self.order], layout.pointee.orderMask)
                return true
            }
            let order = record[Self.order]
            let victim = Int(truncatingIfNeeded: (order &>> (UInt64(ways &- 1) &<< 2)) & 0xF)
            keys[victim] = key
            record[Self.order] = (order &<< 4 | UInt64(victim)) & layout.pointee.orderMask
            return false
        }
        let hash = (key &* 0x9E37_79B9_7F4A_7C15) &>> 56
        let fingerprint = hash &+ ((hash &- 1) &>> 63)  // 1...255: 0 marks an empty way
        let pattern = fingerprint &* Self.lowBytes
        var matches = Self.zeroBytes(record[Self.fingerprints] ^ pattern)
        while matches != 0 {
            let way = matches.trailingZeroBitCount &>> 3
            if keys[way] == key {
                record[Self.order] = Self.moveToFront(way, record[Self.order], layout.pointee.orderMask)
                return true
            }
            matches &= matches &- 1
        }
        if ways > 8 {
            matches = Self.zeroBytes(record[Self.fingerprints &+ 1] ^ pattern)
            while matches != 0 {
                let way = 8 &+ matches.trailingZeroBitCount &>> 3
                if keys[way] == key {
                    record[Self.order] = Self.moveToFront(way, record[Self.order], layout.pointee.orderMask)
                    return true
                }
                matches &= matches &- 1
            }
        }
        let order = record[Self.order]
        let victim = Int(truncatingIfNeeded: (order &>> (UInt64(ways &- 1) &<< 2)) & 0xF)
        keys[victim] = key
        let word = Self.fingerprints &+ victim &>> 3, shift = UInt64((victim & 7) &<< 3)
        record[word] = record[word] & ~(0xFF &<< shift) | fingerprint &<< shift
        record[Self.order] = (order &<< 4 | UInt64(victim)) & layout.pointee.orderMask
        return false
    }

    /// The high bit of every byte of `value` that is zero (exact: Hacker's Delight §6-1).
    @inline(__always)
    private static func zeroBytes(_ value: UInt64) -> UInt64 {
        ~(((value & sevenBits) &+ sevenBits) | value | sevenBits)
    }

    /// `order` with the nibble of `way` taken out and put first.
    @inline(__always)
    private static func moveToFront(_ way: Int, _ order: UInt64, _ orderMask: UInt64) -> UInt64 {
        if order & 0xF == UInt64(way) { return order }  // already the most recent: the common case
        let difference = order ^ UInt64(way) &* lowNibbles
        // The high bit of the nibble that holds `way` (exact, as for bytes).
        let found = ~(((difference & threeBits) &+ threeBits) | difference | threeBits) & orderMask
        let position = UInt64(found.trailingZeroBitCount & ~3)
        let before = order & ((1 &<< position) &- 1)
        let after = position == 60 ? 0 : order & (UInt64.max &<< (position &+ 4))
        return after | before &<< 4 | UInt64(way)
    }

    /// Sets of more than 16 ways: a scan of the keys, and timestamps for the order.
    @inline(never)
    private func accessWide(_ key: UInt64, _ record: UnsafeMutablePointer<UInt64>) -> Bool {
        let ways = layout.pointee.ways
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
