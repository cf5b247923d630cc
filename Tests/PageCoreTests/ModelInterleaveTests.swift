import XCTest
@testable import PageCore

/// Interleaved touches of whole 2 MiB blocks and GiBs, which the model keeps as a round of nodes
/// instead of a PTE per page, against the same pages touched one by one (kept page by page).
final class ModelInterleaveTests: XCTestCase {
    /// A region from 2 MiB + 12 KiB below a GiB boundary to past the next one: partial blocks at
    /// both ends, whole blocks, and one whole GiB.
    static let base = 0x80_0000_0000 - 2 * MiB - 3 * pageSize
    static let size = GiB + 6 * MiB + 5 * pageSize

    func space(nodes: Int) throws -> AddressSpace {
        let topology = try NUMATopology(count: nodes, memory: [4 * GiB])
        return AddressSpace(backend: .model(try SimulatedMachine(topology: topology, thpMode: "never")))
    }

    /// Two identical spaces whose region has `policy`, one touched as a range, one page by page.
    func touchedPair(_ policy: MemoryPolicy, nodes: Int) throws -> [(space: AddressSpace, region: Region, touch: OpResult)] {
        try [false, true].map { byPage in
            let space = try space(nodes: nodes)
            let region = try space.reserve(size: Self.size, options: ReserveOptions(name: "heap", at: UInt(Self.base)))
            try region.commit(offset: 0, length: Self.size)
            try region.bind(offset: 0, length: Self.size, policy: policy)
            let touch = byPage ? try region.touch(pages: Array(0..<Self.size / pageSize)) : try region.touch(offset: 0, length: Self.size)
            return (space, region, touch)
        }
    }

    func assertSameState(_ pair: [(space: AddressSpace, region: Region, touch: OpResult)], _ when: String,
                         file: StaticString = #filePath, line: UInt = #line) throws {
        let (range, pages) = (pair[0], pair[1])
        XCTAssertEqual(try range.region.stats(), try pages.region.stats(), when, file: file, line: line)
        XCTAssertEqual(try range.region.pageNodes(), try pages.region.pageNodes(), when, file: file, line: line)
        XCTAssertEqual(try range.region.stats(offset: 5 * pageSize, length: 3 * MiB), try pages.region.stats(offset: 5 * pageSize, length: 3 * MiB),
                       when, file: file, line: line)
        XCTAssertEqual(range.space.numaEvents(), pages.space.numaEvents(), when, file: file, line: line)
        XCTAssertEqual(range.space.nodeUsage(), pages.space.nodeUsage(), when, file: file, line: line)
        let (a, b) = (range.space.processStats(), pages.space.processStats())
        XCTAssertEqual([a.rss, a.vmPTE, a.minflt], [b.rss, b.vmPTE, b.minflt], when, file: file, line: line)
    }

    func testInterleavedRangeMatchesPageByPageThroughZapMigrationAndUnmap() throws {
        let policies = [(MemoryPolicy(.interleave, nodes: [0, 1]), 2),
                        (MemoryPolicy(.weightedInterleave, nodes: [0, 2], weights: [3, 2]), 3)]
        for (policy, nodes) in policies {
            let pair = try touchedPair(policy, nodes: nodes)
            XCTAssertEqual(pair[0].touch.minflt, Self.size / pageSize)
            XCTAssertEqual(pair[0].touch.minflt, pair[1].touch.minflt)
            XCTAssertEqual(pair[0].touch.ns, pair[1].touch.ns, "fault costs of \(policy.numaMapsText)")
            try assertSameState(pair, "touched under \(policy.numaMapsText)")
            let nodeBytes = try pair[0].region.stats().nodes
            XCTAssertEqual(nodeBytes.values.reduce(0, +), Self.size)
            XCTAssertEqual(nodeBytes.count, policy.nodes.count, "\(nodeBytes)")

            for (space, region, _) in pair {
                _ = try region.advise(offset: 3 * MiB + 7 * pageSize, length: 5 * MiB, .dontneed)
                _ = try region.advise(offset: 512 * MiB, length: 2 * MiB, .dontneed)
                _ = space
            }
            try assertSameState(pair, "after MADV_DONTNEED under \(policy.numaMapsText)")
            let moved = try pair.map { try $0.region.migrate(offset: 100 * pageSize, length: 9 * MiB, to: 1).moved }
            XCTAssertEqual(moved[0], moved[1])
            XCTAssertGreaterThan(moved[0], 0)
            try assertSameState(pair, "after migrating to node 1 under \(policy.numaMapsText)")
            for (_, region, _) in pair { _ = try region.touch(offset: 0, length: Self.size) }
            try assertSameState(pair, "touched again under \(policy.numaMapsText)")
            for (_, region, _) in pair { try region.uncommit(offset: 0, length: Self.size) }
            try assertSameState(pair, "uncommitted under \(policy.numaMapsText)")
            XCTAssertEqual(pair[0].space.nodeUsage()?.values.map(\.used), Array(repeating: 0, count: nodes))
        }
    }

    func testInterleavingWholeGiBsCountsPagesAndTablesExactly() throws {
        let space = try space(nodes: 2)
        let region = try space.reserve(size: 4 * GiB, options: ReserveOptions(name: "heap", at: 0x80_0000_0000))
        try region.commit(offset: 0, length: 4 * GiB)
        try region.bind(offset: 0, length: 4 * GiB, policy: MemoryPolicy(.interleave, nodes: [0, 1]))
        let touch = try region.touch(offset: 0, length: 4 * GiB)
        XCTAssertEqual(touch.minflt, 4 * GiB / pageSize)
        XCTAssertEqual(try region.stats().nodes, [0: 2 * GiB, 1: 2 * GiB])
        XCTAssertEqual(try region.stats(offset: GiB - pageSize, length: 3 * pageSize).nodes, [0: pageSize, 1: 2 * pageSize])
        XCTAssertEqual(space.numaEvents()[1]?.interleaveHit, 2 * GiB / pageSize)
        XCTAssertEqual(space.numaEvents()[1]?.otherNode, 2 * GiB / pageSize, "the touching thread runs on node 0")
        // The kernel's tables for it: the PGD, a PUD table, 4 PMD tables and a PTE table per 2 MiB.
        XCTAssertEqual(space.processStats().vmPTE, (1 + 1 + 4 + 2048) * pageSize)
    }
}
