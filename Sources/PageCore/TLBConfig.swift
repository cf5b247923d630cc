/// The shape of one translation array: `entries` translations in `entries / ways` sets of `ways`,
/// least recently used out first. `ways == entries` is a fully associative array.
public struct TLBGeometry: Sendable, Equatable {
    public var entries: Int
    public var ways: Int
    public var indexing: SetIndexing

    public init(entries: Int, ways: Int, indexing: SetIndexing = .modulo) {
        self.entries = entries
        self.ways = ways
        self.indexing = indexing
    }

    public static func fullyAssociative(_ entries: Int) -> TLBGeometry {
        TLBGeometry(entries: entries, ways: entries)
    }

    public var sets: Int { ways > 0 ? entries / ways : 0 }

    /// Throws unless the array can be built: positive entries and ways, whole sets, and a power
    /// of two of them (set indexes are bit fields of the page number).
    func validate(_ what: String) throws(PageError) {
        guard entries > 0 else { throw .invalid("config", "\(what): entries \(entries) is not positive") }
        guard ways > 0, ways <= entries, entries % ways == 0 else {
            throw .invalid("config", "\(what): ways \(ways) does not divide entries \(entries)")
        }
        guard ways <= TranslationCache.maximumWays else {
            throw .invalid("config", "\(what): ways \(ways) is more than the \(TranslationCache.maximumWays) the model supports")
        }
        guard sets & (sets - 1) == 0 else {
            throw .invalid("config", "\(what): \(entries) entries / \(ways) ways = \(sets) sets, not a power of two")
        }
    }
}

/// How a page number picks its set.
public enum SetIndexing: String, Sendable, CaseIterable {
    /// The low bits of the page number: what TLBleed (Gras et al., USENIX Security 2018) found
    /// for the L1 dTLBs of Skylake and Broadwell. Power-of-two strides of sets × page size
    /// all land in one set.
    case modulo
    /// The low bits XOR the next ones (`vpn ^ vpn >> log2(sets)`): the hash TLBleed found for
    /// Skylake's 128-set STLB ("XOR-7"). It spreads those strides, but not strides of
    /// sets² × page size.
    case xor
}

/// One translation array of a TLB level and the page sizes it holds.
public struct TLBArrayConfig: Sendable, Equatable {
    public var sizes: [TLBPageSize]
    public var geometry: TLBGeometry

    public init(_ sizes: [TLBPageSize], _ geometry: TLBGeometry) {
        self.sizes = sizes
        self.geometry = geometry
    }
}

/// The data-side translation hardware of one core: the L1 dTLB, the second-level TLB (STLB),
/// the paging-structure caches of the page walker, and the paging depth.
///
/// `goldenCove` is the default: Intel's Golden Cove core (Alder Lake P-cores, Sapphire Rapids),
/// whose TLBs Raptor Cove (Emerald Rapids, our machines' CPU) keeps. TLB sizes from the Intel 64
/// and IA-32 Architectures Optimization Reference Manual (Golden Cove chapter, TLB parameters)
/// and D. Bakhvalov, "Performance Analysis and Tuning on Modern CPUs", §3.8 "TLB Hierarchy".
public struct TLBConfig: Sendable, Equatable {
    /// L1 data TLB (loads), one array per group of page sizes.
    public var firstLevel: [TLBArrayConfig]
    /// Second-level TLB, one array per group of page sizes.
    public var secondLevel: [TLBArrayConfig]
    /// Paging-structure caches by the level of the entry they keep: 2 PDE, 3 PDPTE, 4 PML4E,
    /// 5 PML5E (Intel SDM Vol. 3A §4.10.3). A hit at level k leaves k − leaf level entries to
    /// read instead of `levels` − leaf level + 1.
    public var walkCaches: [Int: TLBGeometry]
    /// 4 (48-bit addresses) or 5 (LA57, 57-bit addresses).
    public var levels: Int

    public init(firstLevel: [TLBArrayConfig], secondLevel: [TLBArrayConfig], walkCaches: [Int: TLBGeometry], levels: Int) {
        self.firstLevel = firstLevel
        self.secondLevel = secondLevel
        self.walkCaches = walkCaches
        self.levels = levels
    }

    /// Golden Cove: L1 dTLB (loads) 96 entries 6-way for 4K, 32 entries 4-way for 2M, 8 entries
    /// for 1G; STLB 2048 entries 16-way shared by 4K and 2M, and 1024 entries 8-way for 1G.
    /// Set indexing follows TLBleed's findings for Skylake (see `SetIndexing`), which Intel does
    /// not document. Nor does it publish the paging-structure caches' sizes: 32 PDE entries
    /// (4-way), 4 PDPTE and 2 PML4E/PML5E entries (fully associative) are this model's
    /// assumption, to be set otherwise where better figures are known.
    public static let goldenCove = TLBConfig(
        firstLevel: [
            TLBArrayConfig([.size4K], GoldenCove.firstLevel(TLBPageSize.size4K.rawValue)),
            TLBArrayConfig([.size2M], GoldenCove.firstLevel(TLBPageSize.size2M.rawValue)),
            TLBArrayConfig([.size1G], GoldenCove.firstLevel(TLBPageSize.size1G.rawValue)),
        ],
        secondLevel: [
            TLBArrayConfig([.size4K, .size2M], GoldenCove.secondLevel(TLBPageSize.size4K.rawValue)),
            TLBArrayConfig([.size1G], GoldenCove.secondLevel(TLBPageSize.size1G.rawValue)),
        ],
        walkCaches: Dictionary(uniqueKeysWithValues: (2...5).map { ($0, GoldenCove.walkCache($0)) }),
        levels: GoldenCove.levels)

    /// Throws unless the configuration can be simulated, naming the bad value.
    public func validate() throws(PageError) {
        guard levels == 4 || levels == 5 else { throw .invalid("levels", "levels \(levels) is neither 4 nor 5") }
        for (name, level) in [("L1", firstLevel), ("STLB", secondLevel)] {
            var seen: Set<TLBPageSize> = []
            for array in level {
                let what = "\(name) \(array.sizes.map(\.name).joined(separator: "/"))"
                guard !array.sizes.isEmpty else { throw .invalid("config", "\(name): an array holds no page size") }
                try array.geometry.validate(what)
                for size in array.sizes {
                    guard seen.insert(size).inserted else {
                        throw .invalid("config", "\(name): page size \(size.name) is in two arrays")
                    }
                }
            }
        }
        for (level, geometry) in walkCaches {
            guard (2...5).contains(level) else {
                throw .invalid("config", "walk cache level \(level) is not between 2 (PDE) and 5 (PML5E)")
            }
            try geometry.validate("walk cache level \(level)")
        }
    }

    /// The array of `level` (its first or second) that holds `size`, if any.
    func array(holding size: TLBPageSize, in level: [TLBArrayConfig]) -> TLBArrayConfig? {
        level.first { $0.sizes.contains(size) }
    }

    /// Bytes the L1 dTLB maps when every entry of the array holding `size` holds a page of that
    /// size: entries × page size (0 when no array holds it).
    public func firstLevelReach(_ size: TLBPageSize) -> Int {
        (array(holding: size, in: firstLevel)?.geometry.entries ?? 0) * size.bytes
    }

    /// The same for the STLB.
    public func secondLevelReach(_ size: TLBPageSize) -> Int {
        (array(holding: size, in: secondLevel)?.geometry.entries ?? 0) * size.bytes
    }
}
