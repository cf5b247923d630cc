/// A set-associative array of keys with true LRU replacement, the building block of the TLB
/// model: TLB arrays keyed by page number, paging-structure caches keyed by address prefix. A
/// key's two low bits say what it is (the page size of a TLB entry); the set comes from the rest.
///
/// It is built for the simulation loop's ≥ 50 million accesses per second, eight ways at a time
/// in 64-bit words (SWAR): each way has a one-byte fingerprint of its key and a one-byte age (its
/// place in the set's recency order, 0 the most recent). A lookup compares eight fingerprints in
/// a few instructions and reads only the keys whose fingerprint matches; an access makes its way
/// age 0 and ages by one every way that was more recent, a miss replaces the way of age
/// `ways - 1`. Ages need 7 bits: at most 128 ways. Bytes past the last way (when `ways` is not a
/// multiple of 8) hold fingerprint 0, which no key has, and age 127, which no access ages.
///
/// The storage is raw and the methods nonmutating, so that the loop pays no copy-on-write or
/// exclusivity checks; the owner calls `deallocate()`.
struct TranslationCache {
    static let maximumWays = 128

    private static let lowBits: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080
    private static let sevenBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// One allocation for the whole array, so that the struct is a single pointer: cheap to
    /// keep in tables and to test for nil.
    private struct Layout {
        var keys: UnsafeMutablePointer<UInt64>
        var fingerprints: UnsafeMutablePointer<UInt64>
        var ages: UnsafeMutablePointer<UInt64>
        var ways: Int
        /// 64-bit words per set in `fingerprints` and `ages`.
        var words: Int
        var setMask: UInt64
        var setBits: UInt64
        var hashed: Bool
        /// `ways - 1` in every byte: the age of the least recent way.
        var oldest: UInt64
    }

    private let layout: UnsafeMutablePointer<Layout>

    init(_ geometry: TLBGeometry) {
        let ways = geometry.ways, sets = geometry.sets, words = (ways + 7) / 8
        let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: geometry.entries)
        keys.initialize(repeating: .max, count: geometry.entries)
        let fingerprints = UnsafeMutablePointer<UInt64>.allocate(capacity: sets * words)
        fingerprints.initialize(repeating: 0, count: sets * words)
        // Way w starts with age w: any order will do while the set is empty.
        var initialAges = [UInt64](repeating: 0, count: words)
        for byte in 0..<(words * 8) {
            initialAges[byte / 8] |= UInt64(byte < ways ? byte : 127) << (8 * (byte % 8))
        }
        let ages = UnsafeMutablePointer<UInt64>.allocate(capacity: sets * words)
        for set in 0..<sets {
            (ages + set * words).initialize(from: initialAges, count: words)
        }
        layout = .allocate(capacity: 1)
        layout.initialize(to: Layout(
            keys: keys, fingerprints: fingerprints, ages: ages, ways: ways, words: words,
            setMask: UInt64(sets - 1), setBits: UInt64(sets.trailingZeroBitCount),
            hashed: geometry.indexing == .xor && sets > 1, oldest: UInt64(ways - 1) &* Self.lowBits))
    }

    func deallocate() {
        layout.pointee.keys.deallocate()
        layout.pointee.fingerprints.deallocate()
        layout.pointee.ages.deallocate()
        layout.deallocate()
    }

    /// Looks `key` up and makes it the most recent of its set, inserting it in place of the
    /// least recent on a miss. Returns whether it was there.
    @inline(__always)
    func access(_ key: UInt64) -> Bool {
        let layout = self.layout.pointee
        let ways = layout.ways, words = layout.words, setMask = layout.setMask, oldest = layout.oldest
        let number = key &>> 2
        let set = Int(truncatingIfNeeded: layout.hashed ? (number ^ number &>> layout.setBits) & setMask : number & setMask)
        let setKeys = layout.keys + set &* ways
        let setFingerprints = layout.fingerprints + set &* words
        let setAges = layout.ages + set &* words
        let hash = (key &* 0x9E37_79B9_7F4A_7C15) &>> 56
        let fingerprint = hash &+ ((hash &- 1) &>> 63)  // 1...255
        let pattern = fingerprint &* Self.lowBits
        // Ways in groups of 64 (one group unless `ways` > 64), one bit per way, so that finding
        // the way takes no branch on where it is.
        var group = 0
        while group < words {
            let end = min(words, group &+ 8)
            var candidates: UInt64 = 0
            for word in group..<end {
                candidates |= Self.byteMask(Self.zeroBytes(setFingerprints[word] ^ pattern)) &<< UInt64((word &- group) &<< 3)
            }
            while candidates != 0 {
                let way = group &<< 3 &+ candidates.trailingZeroBitCount
                if setKeys[way] == key {
                    Self.touch(way, setAges, words)
                    return true
                }
                candidates &= candidates &- 1
            }
            group = end
        }
        group = 0
        var way = -1
        while way < 0 {
            let end = min(words, group &+ 8)
            var victims: UInt64 = 0
            for word in group..<end {
                victims |= Self.byteMask(Self.zeroBytes(setAges[word] ^ oldest)) &<< UInt64((word &- group) &<< 3)
            }
            if victims != 0 { way = group &<< 3 &+ victims.trailingZeroBitCount }
            group = end
        }
        setKeys[way] = key
        let word = way &>> 3, shift = UInt64((way & 7) &<< 3)
        setFingerprints[word] = setFingerprints[word] & ~(0xFF &<< shift) | fingerprint &<< shift
        Self.touch(way, setAges, words)
        return false
    }

    /// Bit i set where byte i of `highBitsOfBytes` has its high bit (the other bits clear).
    @inline(__always)
    private static func byteMask(_ highBitsOfBytes: UInt64) -> UInt64 {
        ((highBitsOfBytes &>> 7) &* 0x0102_0408_1020_4080) &>> 56
    }

    /// The high bit of every byte of `value` that is zero (exact: Hacker's Delight §6-1).
    @inline(__always)
    private static func zeroBytes(_ value: UInt64) -> UInt64 {
        ~(((value & sevenBits) &+ sevenBits) | value | sevenBits)
    }

    /// Makes `way` the most recent: every way younger than it ages by one, it becomes age 0.
    @inline(__always)
    private static func touch(_ way: Int, _ ages: UnsafeMutablePointer<UInt64>, _ words: Int) {
        let home = way &>> 3, shift = UInt64((way & 7) &<< 3)
        let age = (ages[home] &>> shift) & 0xFF
        let spread = age &* lowBits
        for word in 0..<words {
            let value = ages[word]
            // High bit set where the byte is ≥ age: bytes are < 128, so no borrow crosses them.
            let notYounger = ((value | highBits) &- spread) & highBits
            ages[word] = value &+ (~notYounger & highBits) &>> 7
        }
        ages[home] &= ~(0xFF &<< shift)
    }
}
