/// A simulated program run for `TLBSimulator`: an access pattern over a footprint.
public struct TLBWorkload: Sendable, Equatable {
    public var footprint: TLBFootprint
    public var pattern: AccessPattern
    /// Accesses counted.
    public var accesses: Int
    /// Accesses made before counting starts, to fill the TLBs: the pattern then goes on where
    /// the warm-up left it.
    public var warmup: Int
    /// Seeds the random patterns and the placement of items, so that runs repeat.
    public var seed: UInt64

    public init(footprint: TLBFootprint, pattern: AccessPattern, accesses: Int, warmup: Int = 0, seed: UInt64 = 1) {
        self.footprint = footprint
        self.pattern = pattern
        self.accesses = accesses
        self.warmup = warmup
        self.seed = seed
    }

    func validate(levels: Int) throws(PageError) {
        guard accesses > 0 else { throw .invalid("accesses", "accesses \(accesses) is not positive") }
        guard warmup >= 0 else { throw .invalid("warmup", "warmup \(warmup) is negative") }
        let limit: UInt64 = 1 << (12 + 9 * levels)
        guard footprint.end <= limit else {
            throw .invalid("extents", "the footprint ends at \(hex(footprint.end)), beyond the \(12 + 9 * levels)-bit addresses of \(levels)-level paging")
        }
        try pattern.validate(footprint: footprint)
    }
}

/// The data-side address translation of one x86-64 core, access by access: an L1 dTLB, a
/// second-level TLB and, on a miss in both, a page walk that reads one page-table entry per
/// level below the deepest paging-structure cache that knows the address (see `TLBConfig`).
/// Every array is set-associative with true LRU; the L1 and the STLB are filled on every miss
/// (non-inclusive, as neither evicts from the other). Not modelled: the separate store and
/// instruction TLBs, the two SMT threads' sharing, PCIDs and flushes, speculative and
/// prefetching walks, and whether the entries a walk reads hit the data caches.
///
/// The TLBs keep their contents from one `run` to the next, the counts start from zero each time.
public final class TLBSimulator {
    public let config: TLBConfig

    /// Per page size (by raw value): the L1 and STLB arrays holding it. Arrays holding several
    /// sizes appear under each; their keys carry the size.
    private let paths: UnsafeMutablePointer<(firstLevel: TranslationCache?, secondLevel: TranslationCache?)>
    /// Per page size, the paging-structure caches a walk consults, deepest first; each with the
    /// level of the entries it keeps. `walkSteps` of them from `walkPlans + size * 4`.
    private let walkPlans: UnsafeMutablePointer<(cache: TranslationCache, level: Int)>
    private let walkSteps: UnsafeMutablePointer<Int>
    private let owned: [TranslationCache]
    /// The levels that have a paging-structure cache.
    private let cachedLevels: [Int]
    /// `countersPerSize` counters per page size (see `Counter`), then the walk-cache hits by level.
    private let counters: UnsafeMutablePointer<Int>

    /// Accesses are not counted: each is an L1 hit, an STLB hit or a walk.
    private enum Counter {
        static let firstLevelHits = 0, secondLevelHits = 1, walks = 2, walkReferences = 3
        static let perSize = 4
        static let walkCacheHits = perSize * TLBPageSize.allCases.count
        static let total = walkCacheHits + 6
    }

    public init(config: TLBConfig = .goldenCove) throws(PageError) {
        try config.validate()
        self.config = config
        var owned: [TranslationCache] = []
        func build(_ level: [TLBArrayConfig]) -> [TLBPageSize: TranslationCache] {
            var bySize: [TLBPageSize: TranslationCache] = [:]
            for array in level {
                let cache = TranslationCache(array.geometry)
                owned.append(cache)
                for size in array.sizes { bySize[size] = cache }
            }
            return bySize
        }
        let first = build(config.firstLevel), second = build(config.secondLevel)
        paths = .allocate(capacity: TLBPageSize.allCases.count)
        for size in TLBPageSize.allCases {
            (paths + size.rawValue).initialize(to: (first[size], second[size]))
        }
        var walkCaches: [Int: TranslationCache] = [:]
        for (level, geometry) in config.walkCaches where level <= config.levels {
            let cache = TranslationCache(geometry)
            owned.append(cache)
            walkCaches[level] = cache
        }
        walkPlans = .allocate(capacity: 4 * TLBPageSize.allCases.count)
        walkSteps = .allocate(capacity: TLBPageSize.allCases.count)
        for size in TLBPageSize.allCases {
            let steps = (size.leafLevel + 1...max(size.leafLevel + 1, config.levels)).compactMap { level in
                walkCaches[level].map { (cache: $0, level: level) }
            }
            (walkPlans + 4 * size.rawValue).initialize(from: steps, count: steps.count)
            walkSteps[size.rawValue] = steps.count
        }
        cachedLevels = walkCaches.keys.sorted()
        self.owned = owned
        counters = .allocate(capacity: Counter.total)
        counters.initialize(repeating: 0, count: Counter.total)
    }

    deinit {
        for cache in owned { cache.deallocate() }
        paths.deallocate()
        walkPlans.deallocate()
        walkSteps.deallocate()
        counters.deallocate()
    }

    /// A fresh simulator's counts for `workload`.
    public static func simulate(_ workload: TLBWorkload, config: TLBConfig = .goldenCove) throws(PageError) -> TLBStats {
        try TLBSimulator(config: config).run(workload)
    }

    /// Runs the warm-up, then counts `workload.accesses` accesses. Ctrl-C stops it within a few
    /// milliseconds with `.interrupted`.
    public func run(_ workload: TLBWorkload) throws(PageError) -> TLBStats {
        config == .goldenCove ? try run(workload, GoldenCove.self) : try run(workload, ConfiguredShapes.self)
    }

    /// `run` with the arrays' shapes from `shapes` (`GoldenCove` only for that configuration).
    func run<Shapes: TLBShapes>(_ workload: TLBWorkload, _ shapes: Shapes.Type) throws(PageError) -> TLBStats {
        precondition(shapes != GoldenCove.self || config == .goldenCove, "the Golden Cove shapes with another configuration")
        try workload.validate(levels: config.levels)
        var simulation = Simulation<Shapes>(simulator: self, map: FootprintMap(workload.footprint),
                                            warmup: workload.warmup, accesses: workload.accesses)
        try workload.pattern.drive(over: workload.footprint, seed: workload.seed, &simulation)
        return stats(nanoseconds: simulation.nanoseconds)
    }

    /// The baseline of `scripts/bench`: the same offsets and addresses as `run` would translate,
    /// folded into a checksum (so that nothing is optimized away), without any TLB.
    public static func addressChecksum(_ workload: TLBWorkload) throws(PageError) -> UInt64 {
        try workload.validate(levels: 5)
        var fold = AddressFold(map: FootprintMap(workload.footprint), count: workload.warmup + workload.accesses)
        try workload.pattern.drive(over: workload.footprint, seed: workload.seed, &fold)
        return fold.checksum
    }

    private struct Simulation<Shapes: TLBShapes>: OffsetConsumer {
        let simulator: TLBSimulator
        let map: FootprintMap
        let warmup: Int
        let accesses: Int
        var nanoseconds: UInt64 = 0

        mutating func consume<Stream: OffsetStream>(_ stream: inout Stream) throws(PageError) {
            try simulator.translate(&stream, map, count: warmup, Shapes.self)
            simulator.counters.update(repeating: 0, count: Counter.total)
            let start = Kernel.monotonicNanoseconds()
            try simulator.translate(&stream, map, count: accesses, Shapes.self)
            nanoseconds = Kernel.monotonicNanoseconds() - start
        }
    }

    private struct AddressFold: OffsetConsumer {
        let map: FootprintMap
        let count: Int
        var checksum: UInt64 = 0

        mutating func consume<Stream: OffsetStream>(_ stream: inout Stream) throws(PageError) {
            var fold: UInt64 = 0
            // The map in a constant, which the loop need not reload (nor retain its arrays) after
            // each access, whatever the stream calls.
            let map = map
            try inChunks(of: count) { chunk in
                for _ in 0..<chunk {
                    let (address, size) = map.locate(stream.next())
                    fold = (fold &+ address) &* 0x100_0000_01B3 ^ UInt64(truncatingIfNeeded: size)
                }
            }
            checksum = fold
        }
    }

    /// Calls `body` with chunk sizes adding up to `count`, checking for Ctrl-C between chunks
    /// of about 2-20 ms.
    private static func inChunks(of count: Int, _ body: (Int) -> Void) throws(PageError) {
        var remaining = count
        while remaining > 0 {
            if Interrupt.isPending { throw .interrupted }
            let chunk = min(remaining, 1 << 20)
            body(chunk)
            remaining -= chunk
        }
    }

    /// The simulation loop: `count` accesses from `stream`.
    private func translate<Stream: OffsetStream, Shapes: TLBShapes>(_ stream: inout Stream, _ map: FootprintMap, count: Int,
                                                                    _ shapes: Shapes.Type) throws(PageError) {
        guard count > 0 else { return }
        // The tag of the previous access while it sits in the L1 dTLB: it is the most recent
        // entry of its set, so another access to it is a hit that changes nothing.
        var previous = UInt64.max
        // The next access is computed before the current one is simulated: its address then
        // comes from instructions older than the current access's hit-or-miss branches, so a
        // mispredicted branch does not throw that work away (Zipf accesses, which hit and miss
        // unpredictably, run about a fifth faster).
        var next = map.locate(stream.next())
        var remaining = count
        try Self.inChunks(of: count) { chunk in
            // The loop's state in locals of the chunk, not in the closure's context or the
            // caller's memory, so that it stays in registers.
            var (source, last, upcoming, left) = (stream, previous, next, remaining)
            defer { (stream, previous, next, remaining) = (source, last, upcoming, left) }
            for _ in 0..<chunk {
                let (address, size) = upcoming
                left &-= 1
                if left > 0 { upcoming = map.locate(source.next()) }
                // One copy of the access per page size: the branches inside it (hit or miss, the
                // shape of the arrays, the walk's steps) then each see one page size, which the
                // CPU predicts better than sizes mixed at random (5-7% less CPU time).
                switch size {
                case TLBPageSize.size4K.rawValue: translate(address, &last, shapes, Pages4K.self)
                case TLBPageSize.size2M.rawValue: translate(address, &last, shapes, Pages2M.self)
                default: translate(address, &last, shapes, Pages1G.self)
                }
            }
        }
    }

    /// One access to `address`, mapped by a page of `Size`; `previous` as in the loop.
    @inline(__always)
    private func translate<Shapes: TLBShapes, Size: StaticPageSize>(_ address: UInt64, _ previous: inout UInt64, _: Shapes.Type, _: Size.Type) {
        let size = Size.size
        let tag = (address &>> UInt64(truncatingIfNeeded: 12 &+ 9 &* size)) &<< 2 | UInt64(truncatingIfNeeded: size)
        let counts = counters + size &* Counter.perSize
        if tag == previous {
            counts[Counter.firstLevelHits] &+= 1
            return
        }
        let path = paths[size]
        if let firstLevel = path.firstLevel {
            previous = tag
            if firstLevel.access(tag, Shapes.firstLevel(size, firstLevel)) {
                counts[Counter.firstLevelHits] &+= 1
                return
            }
        } else {
            previous = .max
        }
        if let secondLevel = path.secondLevel, secondLevel.access(tag, Shapes.secondLevel(size, secondLevel)) {
            counts[Counter.secondLevelHits] &+= 1
            return
        }
        counts[Counter.walks] &+= 1
        counts[Counter.walkReferences] &+= walk(address, Shapes.self, Size.self)
    }

    /// A page walk for `address` down to the level that maps pages of `Size`: looks for the
    /// deepest paging-structure cache that has the entry of its level for the address (filling
    /// the ones that miss on the way up, as the walk will read those entries) and returns the
    /// entries read.
    @inline(__always)
    private func walk<Shapes: TLBShapes, Size: StaticPageSize>(_ address: UInt64, _: Shapes.Type, _: Size.Type) -> Int {
        let size = Size.size
        let leafLevel = size &+ 1
        let plan = walkPlans + size &<< 2
        for step in 0..<Shapes.walkSteps(size, planned: walkSteps[size]) {
            let cache = plan[step].cache
            let level = Shapes.walkLevel(size, step: step, planned: plan[step].level)
            let key = (address &>> UInt64(truncatingIfNeeded: 3 &+ 9 &* level)) &<< 2
            if cache.access(key, Shapes.walkCache(level, cache)) {
                counters[Counter.walkCacheHits &+ level] &+= 1
                return level &- leafLevel
            }
        }
        return Shapes.levels(configured: config.levels) &- leafLevel &+ 1
    }

    private func stats(nanoseconds: UInt64) -> TLBStats {
        var stats = TLBStats(nanoseconds: nanoseconds)
        for size in TLBPageSize.allCases {
            let counts = counters + size.rawValue * Counter.perSize
            var sizeCounts = TLBStats.Counts()
            sizeCounts.accesses = counts[Counter.firstLevelHits] + counts[Counter.secondLevelHits] + counts[Counter.walks]
            sizeCounts.firstLevelHits = counts[Counter.firstLevelHits]
            sizeCounts.secondLevelHits = counts[Counter.secondLevelHits]
            sizeCounts.walks = counts[Counter.walks]
            sizeCounts.walkReferences = counts[Counter.walkReferences]
            if sizeCounts.accesses > 0 { stats.bySize[size] = sizeCounts }
        }
        for level in cachedLevels {
            stats.walkCacheHits[level] = counters[Counter.walkCacheHits + level]
        }
        return stats
    }
}
