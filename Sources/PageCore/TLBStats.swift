/// What a TLB simulation counted (after its warm-up).
public struct TLBStats: Sendable, Equatable {
    /// Counts for the accesses to pages of one size.
    public struct Counts: Sendable, Equatable {
        public var accesses = 0
        /// Translations found in the L1 dTLB.
        public var firstLevelHits = 0
        /// Translations missing from the L1 dTLB and found in the STLB.
        public var secondLevelHits = 0
        /// Translations missing from both: page walks.
        public var walks = 0
        /// Page-table entries the walks read from the memory hierarchy (those the
        /// paging-structure caches did not supply).
        public var walkReferences = 0

        public init() {}

        public var firstLevelMisses: Int { accesses - firstLevelHits }

        static func + (lhs: Counts, rhs: Counts) -> Counts {
            var sum = lhs
            sum.accesses += rhs.accesses
            sum.firstLevelHits += rhs.firstLevelHits
            sum.secondLevelHits += rhs.secondLevelHits
            sum.walks += rhs.walks
            sum.walkReferences += rhs.walkReferences
            return sum
        }
    }

    /// Counts per page size of the page accessed.
    public var bySize: [TLBPageSize: Counts]
    /// Walks that found their starting point in the paging-structure cache of each level
    /// (2 PDE, 3 PDPTE, 4 PML4E, 5 PML5E); the other walks started from the root.
    public var walkCacheHits: [Int: Int]
    /// Wall time of the simulation after the warm-up.
    public var nanoseconds: UInt64

    public init(bySize: [TLBPageSize: Counts] = [:], walkCacheHits: [Int: Int] = [:], nanoseconds: UInt64 = 0) {
        self.bySize = bySize
        self.walkCacheHits = walkCacheHits
        self.nanoseconds = nanoseconds
    }

    /// All page sizes together.
    public var total: Counts { bySize.values.reduce(Counts(), +) }

    /// Page-table entries read per walk (0 without walks).
    public var referencesPerWalk: Double {
        let total = self.total
        return total.walks == 0 ? 0 : Double(total.walkReferences) / Double(total.walks)
    }
}
