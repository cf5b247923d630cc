import Glibc
import XCTest
@testable import PageCore

/// The model backend on its own: what the host cannot show (a 1 TiB heap, page-table counts,
/// hugetlb pools, THP modes), with exact simulated figures.
final class ModelBackendTests: XCTestCase {
    func machine(thp: String = "madvise", hugetlb: [Int: Int] = [:], levels: Int = 4, nodes: Int = 1, memory: Int = 256 * GiB) throws -> AddressSpace {
        let topology = try NUMATopology(count: nodes, memory: [memory])
        return AddressSpace(backend: .model(try SimulatedMachine(topology: topology, thpMode: thp, hugetlbPages: hugetlb, pageTableLevels: levels)))
    }

    func testTerabyteHeapAtAFixedAddress() throws {
        let space = try machine()
        let heap = try space.reserve(size: 1 << 40, options: ReserveOptions(name: "heap", at: 0x6_0000_0000))
        XCTAssertEqual(heap.base, 0x6_0000_0000)
        try heap.commit(offset: 0, length: 64 * GiB)
        let touch = try heap.touch(offset: 0, length: 64 * GiB)
        XCTAssertEqual(touch.minflt, 64 * GiB / pageSize)
        XCTAssertEqual(touch.source, .simulated)
        let stats = try heap.stats()
        XCTAssertEqual(stats.size, 1 << 40)
        XCTAssertEqual(stats.committed, 64 * GiB)
        XCTAssertEqual(stats.resident, 64 * GiB)
        XCTAssertEqual(stats.nodes, [0: 64 * GiB])
        XCTAssertEqual(stats.source, .simulated)
        XCTAssertEqual(stats.pageTables, PageTablePages(pud: 1, pmd: 64, pte: 64 * 512))
        let process = space.processStats()
        XCTAssertEqual(process.rss, 64 * GiB)
        XCTAssertEqual(process.vmSize, 1 << 40)
        XCTAssertEqual(process.vmPTE, (1 + 1 + 64 + 64 * 512) * pageSize, "PGD, PUD, PMD and PTE pages")
        XCTAssertEqual(process.source, .simulated)
        assertPageError(.invalidArgument(parameter: "at")) {
            try space.reserve(size: 2 * MiB, options: ReserveOptions(at: 0x6_0000_0000 + UInt(GiB)))
        }
    }

    func testReadMapsTheZeroPageAndWriteAllocates() throws {
        let space = try machine()
        let region = try space.reserve(size: 8 * MiB)
        try region.commit(offset: 0, length: 8 * MiB)
        XCTAssertEqual(try region.touch(offset: 0, length: 2 * MiB, options: TouchOptions(write: false)).minflt, 512)
        XCTAssertEqual(try region.touch(offset: MiB, length: 2 * MiB).minflt, 512, "256 over zero pages, 256 new")
        let stats = try region.stats()
        XCTAssertEqual(stats.zero, MiB)
        XCTAssertEqual(stats.resident, 2 * MiB)
        XCTAssertEqual(stats.pageTables?.pte, 2)
        XCTAssertEqual(try region.pageNodes(offset: 0, length: 2 * pageSize), [-Int(EFAULT), -Int(EFAULT)])
        XCTAssertEqual(try region.pageNodes(offset: 4 * MiB, length: pageSize), [-Int(ENOENT)])
        XCTAssertEqual(try region.pageNodes(offset: 2 * MiB, length: pageSize), [0])
    }

    func testFaultOutsideTheCommittedPartNamesTheRegion() throws {
        let space = try machine()
        let region = try space.reserve(size: 8 * MiB, options: ReserveOptions(name: "heap"))
        try region.commit(offset: 0, length: 4 * MiB)
        let error = assertPageError(.fault) { try region.touch(offset: 3 * MiB, length: 2 * MiB) }
        XCTAssertEqual(error?.message, "SIGSEGV at region 'heap' offset 0x400000 (address \(hex(region.base + 0x400000))): protection none, reserved but not committed")
        XCTAssertEqual(try region.stats().resident, MiB, "the pages before the fault were touched")
    }

    func testTHPModes() throws {
        for (mode, advised, plain) in [("always", 4 * MiB, 4 * MiB), ("madvise", 4 * MiB, 0), ("never", 0, 0)] {
            let space = try machine(thp: mode)
            let region = try space.reserve(size: 8 * MiB, options: ReserveOptions(align: 2 * MiB))
            try region.commit(offset: 0, length: 8 * MiB)
            try region.advise(offset: 0, length: 4 * MiB, .hugepage)
            try region.touch(offset: 0, length: 8 * MiB)
            XCTAssertEqual(try region.stats(offset: 0, length: 4 * MiB).huge, advised, mode)
            XCTAssertEqual(try region.stats(offset: 4 * MiB, length: 4 * MiB).huge, plain, mode)
            XCTAssertEqual(try region.stats().resident, 8 * MiB, mode)
        }
    }

    func testHugePageNeedsAWholeAlignedExtentInOneVMA() throws {
        let space = try machine(thp: "always")
        let region = try space.reserve(size: 8 * MiB, options: ReserveOptions(align: 2 * MiB))
        try region.commit(offset: 0, length: 3 * MiB)
        try region.touch(offset: 0, length: 3 * MiB)
        XCTAssertEqual(try region.stats().huge, 2 * MiB, "[2M, 4M) is not wholly committed")
        try region.commit(offset: 3 * MiB, length: 5 * MiB)
        try region.protect(offset: 5 * MiB, length: pageSize, .r)
        try region.touch(offset: 4 * MiB, length: MiB)
        try region.touch(offset: 6 * MiB, length: 2 * MiB)
        XCTAssertEqual(try region.stats().huge, 4 * MiB, "[4M, 6M) spans two protections")
        let pages = try region.stats().pageTables
        XCTAssertEqual(pages?.pte, 2, "PTE tables for [2M, 4M) and [4M, 6M) only")
    }

    func testHugetlbPoolReservesAtMapTime() throws {
        let space = try machine(hugetlb: [2 * MiB: 4, GiB: 1])
        let pooled = try space.reserve(size: 6 * MiB, options: ReserveOptions(name: "pooled", hugePageSize: 2 * MiB))
        XCTAssertEqual(try pooled.stats().committed, 6 * MiB)
        let error = assertPageError(.system(errno: ENOMEM)) {
            try space.reserve(size: 4 * MiB, options: ReserveOptions(name: "more", hugePageSize: 2 * MiB))
        }
        XCTAssertEqual(error?.message, "cannot reserve 4M of 2M hugetlb pages: it needs 2 free pages and the simulated pool has 1 of 4")
        XCTAssertEqual(space.regions.map(\.name), ["pooled"])
        XCTAssertEqual(try pooled.touch(offset: 0, length: pageSize).minflt, 1)
        XCTAssertEqual(try pooled.stats(), PageStats(size: 6 * MiB, committed: 6 * MiB, resident: 2 * MiB, huge: 2 * MiB,
                                                   nodes: [0: 2 * MiB], source: .simulated, pageTables: PageTablePages(pud: 1, pmd: 1)))
        assertPageError(.invalidArgument(parameter: "length")) { try pooled.advise(offset: 0, length: pageSize, .dontneed) }
        assertPageError(.system(errno: EINVAL)) { try pooled.uncommit(offset: 0, length: 2 * MiB) }
        let giga = try space.reserve(size: GiB, options: ReserveOptions(hugePageSize: GiB))
        try giga.touch(offset: 0, length: GiB, options: TouchOptions(stride: GiB))
        XCTAssertEqual(space.processStats().hugetlb, GiB + 2 * MiB)
        XCTAssertEqual(space.processStats().rss, 0, "hugetlb is not in RSS")
        pooled.close()
        XCTAssertNoThrow(try space.reserve(size: 8 * MiB, options: ReserveOptions(hugePageSize: 2 * MiB)), "closing gave the pool back")
    }

    func testFiveLevelPagingAddsAP4DLevel() throws {
        let space = try machine(levels: 5)
        let high = try space.reserve(size: 2 * MiB, options: ReserveOptions(at: 1 << 50))
        try high.commit(offset: 0, length: 2 * MiB)
        try high.touch(offset: 0, length: pageSize)
        XCTAssertEqual(try high.stats().pageTables, PageTablePages(p4d: 1, pud: 1, pmd: 1, pte: 1))
        let fourLevel = try machine(levels: 4)
        assertPageError(.system(errno: ENOMEM)) { try fourLevel.reserve(size: 2 * MiB, options: ReserveOptions(at: 1 << 50)) }
    }

    func testUncommitFreesPagesAndTables() throws {
        let space = try machine()
        let region = try space.reserve(size: 4 * GiB, options: ReserveOptions(align: GiB))
        try region.commit(offset: 0, length: 4 * GiB)
        try region.touch(offset: 0, length: 4 * GiB)
        try region.uncommit(offset: GiB, length: 2 * GiB)
        let stats = try region.stats()
        XCTAssertEqual(stats.resident, 2 * GiB)
        XCTAssertEqual(stats.pageTables, PageTablePages(pud: 1, pmd: 2, pte: 1024))
        try region.advise(offset: 0, length: GiB, .dontneed)
        XCTAssertEqual(try region.stats().pageTables, PageTablePages(pud: 1, pmd: 2, pte: 512), "emptied PTE tables are reclaimed, the PMD table stays")
        region.close()
        XCTAssertEqual(space.processStats().vmPTE, pageSize, "only the PGD is left")
        XCTAssertEqual(space.processStats().rss, 0)
    }

    func testScatteredTouches() throws {
        let space = try machine()
        let region = try space.reserve(size: 4 * GiB)
        try region.commit(offset: 0, length: 4 * GiB)
        var generator = SplitMix(seed: 42)
        let pages = (0..<10_000).map { _ in Int(generator.next() % UInt64(4 * GiB / pageSize)) }
        let result = try region.touch(pages: pages)
        XCTAssertEqual(result.minflt, Set(pages).count)
        XCTAssertEqual(try region.stats().resident, Set(pages).count * pageSize)
        let states = try region.pageStates()
        XCTAssertEqual(Set(pages).allSatisfy { states[$0] == .resident }, true)
        assertPageError(.invalidArgument(parameter: "pages")) { try region.touch(pages: [4 * GiB / pageSize]) }
    }
}

/// A small deterministic generator for tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
