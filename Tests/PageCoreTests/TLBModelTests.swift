import XCTest
@testable import PageCore

/// The TLB model against what a set-associative LRU hierarchy must do, case by case.
final class TLBModelTests: XCTestCase {
    /// 1 GiB-aligned, so that the walk-cache counts below start on a fresh PDPT entry.
    let base: UInt64 = 0x7f00_0000_0000

    func footprint(_ length: Int, _ size: TLBPageSize, at address: UInt64? = nil) throws -> TLBFootprint {
        try TLBFootprint([TLBExtent(address: address ?? base, length: length, pageSize: size)])
    }

    func run(_ footprint: TLBFootprint, _ pattern: AccessPattern, accesses: Int, warmup: Int = 0,
             config: TLBConfig = .goldenCove) throws -> TLBStats {
        try TLBSimulator.simulate(TLBWorkload(footprint: footprint, pattern: pattern, accesses: accesses, warmup: warmup), config: config)
    }

    // MARK: The LRU array

    /// The SWAR array agrees, access by access, with the plainest LRU there is: per set, a list
    /// of keys, most recent first.
    func testTranslationCacheIsExactLRU() {
        let geometries = [TLBGeometry(entries: 96, ways: 6), TLBGeometry(entries: 2048, ways: 16, indexing: .xor),
                          .fullyAssociative(32), .fullyAssociative(72), .fullyAssociative(128), .fullyAssociative(1),
                          TLBGeometry(entries: 64, ways: 4, indexing: .xor)]
        for geometry in geometries {
            let cache = TranslationCache(geometry)
            defer { cache.deallocate() }
            var reference: [Int: [UInt64]] = [:]
            var random = SplitMix64(seed: UInt64(geometry.entries * 31 + geometry.ways))
            var hits = 0
            let steps = 60_000
            // Keys from a universe twice the capacity, in clusters, so that hits and misses mix.
            let universe = UInt64(2 * geometry.entries)
            for step in 0..<steps {
                let number = (random.next(below: universe) + UInt64(step / 1000) * 7) % universe + 0x1_2345_0000
                let kind = random.next(below: 3)
                let key = number << 2 | kind
                let sets = UInt64(geometry.sets), bits = UInt64(sets.trailingZeroBitCount)
                let set = Int(geometry.indexing == .xor && sets > 1 ? (number ^ number >> bits) & (sets - 1) : number & (sets - 1))
                var keys = reference[set, default: []]
                let expected = keys.contains(key)
                keys.removeAll { $0 == key }
                keys.insert(key, at: 0)
                if keys.count > geometry.ways { keys.removeLast() }
                reference[set] = keys
                let hit = cache.access(key, cache.shape)
                XCTAssertEqual(hit, expected, "\(geometry) step \(step) key \(hex(key))")
                if hit != expected { return }
                if hit { hits += 1 }
            }
            XCTAssertTrue((steps / 20..<steps * 19 / 20).contains(hits), "\(geometry): \(hits) hits; the sequence should mix hits and misses")
        }
    }

    /// The loop compiled with the Golden Cove shapes as constants counts exactly what the loop
    /// reading them from the arrays counts, for every pattern and page size.
    func testConstantShapesCountAsTheConfiguredOnes() throws {
        let base: UInt64 = 0x7f00_0000_0000
        let footprint = try TLBFootprint.laidOut([(length: 64 << 20, pageSize: .size4K), (length: 64 << 20, pageSize: .size2M),
                                                  (length: 2 << 30, pageSize: .size1G), (length: 512 << 20, pageSize: .size4K)], from: base)
        let patterns: [AccessPattern] = [.sequential(stride: 16384), .uniformRandom(item: 64), .zipf(item: 64, exponent: 0.99),
                                         .pointerChase(item: 4096)]
        for pattern in patterns {
            let workload = TLBWorkload(footprint: footprint, pattern: pattern, accesses: 200_000, warmup: 50_000, seed: 7)
            var constant = try TLBSimulator().run(workload, GoldenCove.self)
            var configured = try TLBSimulator().run(workload, ConfiguredShapes.self)
            (constant.nanoseconds, configured.nanoseconds) = (0, 0)
            XCTAssertEqual(constant, configured, pattern.name)
            XCTAssertEqual(constant.bySize.count, 3, "\(pattern.name): every page size is accessed")
        }
    }

    // MARK: Cold scans and reach

    func testSequentialScanMissesOncePerPageInAColdTLB() throws {
        let pages = 10_000
        let small = try run(footprint(pages * 4096, .size4K), .sequential(stride: 64), accesses: pages * 64)
        XCTAssertEqual(small.total.accesses, pages * 64)
        XCTAssertEqual(small.total.walks, pages)
        XCTAssertEqual(small.total.firstLevelHits, pages * 63)
        XCTAssertEqual(small.total.secondLevelHits, 0)

        let large = try run(footprint(64 << 21, .size2M), .sequential(stride: 4096), accesses: 64 * 512)
        XCTAssertEqual(large.bySize[.size2M]?.walks, 64)
        XCTAssertEqual(large.bySize[.size2M]?.firstLevelHits, 64 * 511)
        XCTAssertNil(large.bySize[.size4K], "no access touched a 4K page")
    }

    func testReachIsEntriesTimesPageSize() throws {
        let config = TLBConfig.goldenCove
        XCTAssertEqual(TLBPageSize.allCases.map(config.firstLevelReach), [96 << 12, 32 << 21, 8 << 30])
        XCTAssertEqual(TLBPageSize.allCases.map(config.secondLevelReach), [2048 << 12, 2048 << 21, 1024 << 30])
        // What reach means: a loop over exactly the L1 reach hits the L1 from its second lap on.
        // One page more and the set that gets 7 pages (of 6 ways) misses all 7 every lap, as
        // LRU always evicts the page that comes next; the STLB still holds them.
        for (size, entries, ways) in [(TLBPageSize.size4K, 96, 6), (.size2M, 32, 4), (.size1G, 8, 8)] {
            let fits = try run(footprint(entries * size.bytes, size), .sequential(stride: size.bytes), accesses: entries, warmup: entries)
            XCTAssertEqual(fits.total.firstLevelHits, entries, "\(size.name)")
            let over = try run(footprint((entries + 1) * size.bytes, size), .sequential(stride: size.bytes),
                               accesses: 10 * (entries + 1), warmup: entries + 1)
            XCTAssertEqual(over.total.firstLevelMisses, 10 * (ways + 1), "\(size.name)")
            XCTAssertEqual(over.total.walks, 0, "\(size.name): the STLB holds them")
        }
        // The same for the STLB: its XOR index spreads 2048 consecutive pages 16 to a set.
        let stlb = try run(footprint(2048 * 4096, .size4K), .sequential(stride: 4096), accesses: 2 * 2048, warmup: 2048)
        XCTAssertEqual(stlb.total.walks, 0)
        let beyond = try run(footprint(2049 * 4096, .size4K), .sequential(stride: 4096), accesses: 2049, warmup: 2049)
        XCTAssertEqual(beyond.total.walks, 17, "one set gets 17 pages for 16 ways")
    }

    func testRandomAccessWithinReachStopsWalkingAfterWarmUp() throws {
        let within = try run(footprint(1024 * 4096, .size4K), .uniformRandom(item: 64), accesses: 1_000_000, warmup: 200_000)
        XCTAssertEqual(within.total.walks, 0)
        let l1HitRate = Double(within.total.firstLevelHits) / Double(within.total.accesses)
        XCTAssertEqual(l1HitRate, 96.0 / 1024, accuracy: 0.02, "the L1 holds 96 of the 1024 pages")

        // Four times the STLB reach: a random access finds its page with probability 1/4.
        let beyond = try run(footprint(4 * 2048 * 4096, .size4K), .uniformRandom(item: 64), accesses: 1_000_000, warmup: 200_000)
        XCTAssertEqual(Double(beyond.total.walks) / 1e6, 0.75, accuracy: 0.02)

        // The same 32 MiB in 2M pages is 16 pages: within the L1's 32 entries.
        let huge = try run(footprint(32 << 20, .size2M), .uniformRandom(item: 64), accesses: 1_000_000, warmup: 1000)
        XCTAssertEqual(huge.total.firstLevelHits, 1_000_000)
    }

    func testPowerOfTwoStridesConflictInOneSet() throws {
        // L1 4K: 16 sets indexed by the low page-number bits. A 64 KiB stride puts every page in
        // one set of 6 ways: 7 pages never hit. A 68 KiB stride spreads them.
        let conflicting = try run(footprint(7 * 65536, .size4K), .sequential(stride: 65536), accesses: 7000, warmup: 7)
        XCTAssertEqual(conflicting.total.firstLevelHits, 0)
        XCTAssertEqual(conflicting.total.secondLevelHits, 7000)
        let spread = try run(footprint(7 * 69632, .size4K), .sequential(stride: 69632), accesses: 7000, warmup: 7)
        XCTAssertEqual(spread.total.firstLevelHits, 7000)

        // STLB: the XOR index spreads a 512 KiB stride (2^7 pages) that the L1 cannot...
        let xorSpread = try run(footprint(17 << 19, .size4K), .sequential(stride: 1 << 19), accesses: 1700, warmup: 17)
        XCTAssertEqual(xorSpread.total.firstLevelHits, 0, "all 17 pages in one L1 set")
        XCTAssertEqual(xorSpread.total.walks, 0)
        // ...but not a 64 MiB stride (2^14 pages): 17 pages in one 16-way set, walked every time.
        let xorConflict = try run(footprint(17 << 26, .size4K), .sequential(stride: 1 << 26), accesses: 1700, warmup: 17)
        XCTAssertEqual(xorConflict.total.walks, 1700)
        let sixteen = try run(footprint(16 << 26, .size4K), .sequential(stride: 1 << 26), accesses: 1600, warmup: 16)
        XCTAssertEqual(sixteen.total.walks, 0)
    }

    // MARK: Page walks

    func testWalkCachesLeaveOneReferencePerWalkOfAScan() throws {
        // 2048 pages = four 2M regions. The first walk reads all 4 levels; the next 511 find the
        // PDE cached and read only the PTE; each new 2M region finds its PDPTE and reads 2.
        let scan = try run(footprint(2048 * 4096, .size4K), .sequential(stride: 4096), accesses: 2048)
        XCTAssertEqual(scan.total.walks, 2048)
        XCTAssertEqual(scan.total.walkReferences, 4 + 511 + 3 * (2 + 511))
        XCTAssertEqual(scan.walkCacheHits, [2: 4 * 511, 3: 3, 4: 0])

        var fiveLevels = TLBConfig.goldenCove
        fiveLevels.levels = 5
        let deeper = try run(footprint(2048 * 4096, .size4K), .sequential(stride: 4096), accesses: 2048, config: fiveLevels)
        XCTAssertEqual(deeper.total.walkReferences, 5 + 511 + 3 * (2 + 511))
        XCTAssertEqual(deeper.walkCacheHits[5], 0)

        let large = try run(footprint(64 << 21, .size2M), .sequential(stride: 1 << 21), accesses: 64)
        XCTAssertEqual(large.total.walkReferences, 3 + 63)
        let gigantic = try run(footprint(4 << 30, .size1G), .sequential(stride: 1 << 30), accesses: 4)
        XCTAssertEqual(gigantic.total.walkReferences, 2 + 3)

        // Without paging-structure caches every walk reads every level, as seed 001 assumes.
        var uncached = TLBConfig.goldenCove
        uncached.walkCaches = [:]
        let plain = try run(footprint(2048 * 4096, .size4K), .sequential(stride: 4096), accesses: 2048, config: uncached)
        XCTAssertEqual(plain.total.walkReferences, 4 * 2048)
    }

    func testPointerChaseVisitsEveryItemOnceALap() throws {
        // 5000 pages, one item each: the first lap walks for every page, and so does the second,
        // because 5000 pages in the same order evict each other from a 2048-entry LRU STLB.
        let pages = 5000
        let chase = try run(footprint(pages * 4096, .size4K), .pointerChase(item: 4096), accesses: 2 * pages)
        XCTAssertEqual(chase.total.walks, 2 * pages)
        // Uniform random accesses repeat pages and sometimes find them in the STLB.
        let random = try run(footprint(pages * 4096, .size4K), .uniformRandom(item: 4096), accesses: 2 * pages)
        XCTAssertLessThan(random.total.walks, 2 * pages * 9 / 10)
    }

    func testMixedExtentsAreCountedByPageSize() throws {
        let mixed = try TLBFootprint.laidOut([(length: 6 << 20, pageSize: .size4K), (length: 8 << 20, pageSize: .size2M)], from: base)
        XCTAssertEqual(mixed.extents.map(\.address), [base, base + (6 << 20)])
        let scan = try run(mixed, .sequential(stride: 4096), accesses: (14 << 20) / 4096)
        XCTAssertEqual(scan.bySize[.size4K]?.walks, (6 << 20) / 4096)
        XCTAssertEqual(scan.bySize[.size2M]?.walks, 4)
        XCTAssertEqual(scan.bySize[.size2M]?.accesses, (8 << 20) / 4096)
        // Laying out aligns each extent to its page size.
        let aligned = try TLBFootprint.laidOut([(length: 4096, pageSize: .size4K), (length: 2 << 20, pageSize: .size2M)], from: base)
        XCTAssertEqual(aligned.extents[1].address, base + (2 << 20))
    }

    // MARK: Patterns

    func testZipfFollowsItsLaw() {
        let count: UInt64 = 1_000_000, exponent = 0.99
        let table = ZipfTable(count: count, exponent: exponent)
        var harmonic = 0.0
        var tail = 0.0
        for k in 1...count {
            let term = pow(Double(k), -exponent)
            harmonic += term
            if k > count / 2 { tail += term }
        }
        var random = SplitMix64(seed: 7)
        let samples = 4_000_000
        var first = 0, topTen = 0, inTail = 0
        for _ in 0..<samples {
            let rank = table.rank(random.next())
            XCTAssertLessThan(rank, count)
            if rank == 0 { first += 1 }
            if rank < 10 { topTen += 1 }
            if rank >= count / 2 { inTail += 1 }
        }
        let topTenMass = (1...10).reduce(0.0) { $0 + pow(Double($1), -exponent) } / harmonic
        for (observed, probability) in [(first, 1 / harmonic), (topTen, topTenMass), (inTail, tail / harmonic)] {
            let expected = probability * Double(samples)
            let sigma = (expected * (1 - probability)).squareRoot()
            XCTAssertEqual(Double(observed), expected, accuracy: 5 * sigma)
        }
    }

    func testItemPermutationIsABijection() {
        for count: UInt64 in [1, 2, 3, 1000, 1024, 4099] {
            let permutation = ItemPermutation(count: count, seed: 42)
            let images = Set((0..<count).map { permutation($0) })
            XCTAssertEqual(images, Set(0..<count), "count \(count)")
        }
        let scattered = ItemPermutation(count: 1 << 20, seed: 1)
        XCTAssertGreaterThan((0..<16).map { scattered($0) }.max()!, 1 << 16, "the first items land all over")
    }

    // MARK: Bad input

    func testBadInputIsNamed() throws {
        let page = try footprint(1 << 20, .size4K)
        var sets = TLBConfig.goldenCove
        sets.firstLevel[0].geometry = TLBGeometry(entries: 96, ways: 4)
        var ways = TLBConfig.goldenCove
        ways.secondLevel[0].geometry = TLBGeometry(entries: 100, ways: 16)
        var levels = TLBConfig.goldenCove
        levels.levels = 3
        var twice = TLBConfig.goldenCove
        twice.firstLevel[1].sizes = [.size4K]
        let cases: [(String, String, () throws -> Any)] = [
            ("extents", "address 0x7f0000001000 is not a multiple of the page size 2M",
             { try self.footprint(2 << 20, .size2M, at: self.base + 4096) }),
            ("extents", "length 4096 is not a multiple of the page size 2M", { try self.footprint(4096, .size2M) }),
            ("extents", "overlaps or precedes", {
                try TLBFootprint([TLBExtent(address: self.base, length: 8192, pageSize: .size4K),
                                  TLBExtent(address: self.base + 4096, length: 4096, pageSize: .size4K)])
            }),
            ("extents", "no extents", { try TLBFootprint([]) }),
            ("extents", "beyond the 48-bit addresses of 4-level paging",
             { try self.run(self.footprint(4096, .size4K, at: 1 << 48), .sequential(stride: 64), accesses: 1) }),
            ("accesses", "accesses 0 is not positive", { try self.run(page, .sequential(stride: 64), accesses: 0) }),
            ("warmup", "warmup -1 is negative", { try self.run(page, .sequential(stride: 64), accesses: 1, warmup: -1) }),
            ("stride", "stride 0 is not between 1 and the footprint", { try self.run(page, .sequential(stride: 0), accesses: 1) }),
            ("item", "item 2097152 is not between 1 and the footprint", { try self.run(page, .uniformRandom(item: 2 << 20), accesses: 1) }),
            ("exponent", "Zipf exponent 0.0 is not a positive number", { try self.run(page, .zipf(item: 64, exponent: 0), accesses: 1) }),
            ("config", "96 entries / 4 ways = 24 sets, not a power of two", { try TLBSimulator(config: sets) }),
            ("config", "ways 16 does not divide entries 100", { try TLBSimulator(config: ways) }),
            ("config", "page size 4K is in two arrays", { try TLBSimulator(config: twice) }),
            ("levels", "levels 3 is neither 4 nor 5", { try TLBSimulator(config: levels) }),
        ]
        for (parameter, message, body) in cases {
            let error = assertPageError(.invalidArgument(parameter: parameter)) { try body() }
            XCTAssertTrue(error?.message.contains(message) ?? false, "\(error?.message ?? "no error") lacks: \(message)")
        }
    }

    func testCtrlCStopsALongSimulation() throws {
        Interrupt.request()
        defer { Interrupt.clear() }
        assertPageError(.interrupted) {
            try self.run(self.footprint(1 << 30, .size4K), .uniformRandom(item: 64), accesses: 1 << 40)
        }
    }
}
