import Glibc
import XCTest
@testable import PageCore

/// Memory policies, first touch, fallback and migration on simulated NUMA machines.
final class ModelNUMATests: XCTestCase {
    func space(nodes: Int = 2, memory: [Int] = [GiB], distances: [[Int]]? = nil, thp: String = "never") throws -> AddressSpace {
        let topology = try NUMATopology(count: nodes, memory: memory, distances: distances)
        return AddressSpace(backend: .model(try SimulatedMachine(topology: topology, thpMode: thp)))
    }

    func committed(_ space: AddressSpace, _ size: Int, name: String = "heap") throws -> Region {
        let region = try space.reserve(size: size, options: ReserveOptions(name: name))
        try region.commit(offset: 0, length: size)
        return region
    }

    func testFirstTouchPlacesPagesOnTheTouchingThreadsNode() throws {
        let space = try space()
        let region = try committed(space, 64 * MiB)
        try region.touch(offset: 0, length: 16 * MiB)
        try region.touch(offset: 16 * MiB, length: 16 * MiB, options: TouchOptions(node: 1))
        XCTAssertEqual(try region.stats().nodes, [0: 16 * MiB, 1: 16 * MiB])
        // Four workers on CPUs 0-3 (4 CPUs per node: all on node 0), then four pinned to node 1.
        try region.touch(offset: 32 * MiB, length: 16 * MiB, options: TouchOptions(threads: 4))
        XCTAssertEqual(try region.stats(offset: 32 * MiB, length: 16 * MiB).nodes, [0: 16 * MiB])
        let events = space.numaEvents()
        XCTAssertEqual(events[1]?.localNode, 16 * MiB / pageSize)
        XCTAssertEqual(events[0]?.numaHit, 32 * MiB / pageSize)
        assertPageError(.invalidArgument(parameter: "node")) { try region.touch(offset: 0, length: pageSize, options: TouchOptions(node: 2)) }
    }

    func testInterleaveAlternatesPagesAndWeightsSetTheShare() throws {
        let space = try space()
        let region = try committed(space, 64 * MiB)
        try region.bind(offset: 0, length: 32 * MiB, policy: MemoryPolicy(.interleave, nodes: [0, 1]))
        try region.bind(offset: 32 * MiB, length: 32 * MiB, policy: MemoryPolicy(.weightedInterleave, nodes: [0, 1], weights: [3, 1]))
        try region.touch(offset: 0, length: 64 * MiB)
        XCTAssertEqual(try region.stats(offset: 0, length: 32 * MiB).nodes, [0: 16 * MiB, 1: 16 * MiB])
        XCTAssertEqual(try region.stats(offset: 32 * MiB, length: 32 * MiB).nodes, [0: 24 * MiB, 1: 8 * MiB])
        let nodes = try region.pageNodes(offset: 0, length: 4 * pageSize)
        XCTAssertEqual(Set(nodes), [0, 1])
        XCTAssertNotEqual(nodes[0], nodes[1], "page by page")
        XCTAssertEqual(space.numaEvents().values.reduce(0) { $0 + $1.interleaveHit }, 64 * MiB / pageSize)
    }

    func testPreferredFallsBackByDistanceWhenItsNodeIsFull() throws {
        let distances = [[10, 21, 31], [21, 10, 21], [31, 21, 10]]
        let space = try space(nodes: 3, memory: [64 * MiB], distances: distances)
        let region = try committed(space, 128 * MiB)
        try region.bind(offset: 0, length: 128 * MiB, policy: MemoryPolicy(.preferred, nodes: [0]))
        try region.touch(offset: 0, length: 96 * MiB)
        XCTAssertEqual(try region.stats().nodes, [0: 64 * MiB, 1: 32 * MiB], "node 1 (21) before node 2 (31)")
        let events = space.numaEvents()
        XCTAssertEqual(events[1]?.numaMiss, 32 * MiB / pageSize)
        XCTAssertEqual(events[0]?.numaForeign, 32 * MiB / pageSize)
    }

    func testBindRunsOutOfMemoryInsteadOfFallingBack() throws {
        let space = try space(memory: [32 * MiB, GiB])
        let region = try committed(space, 64 * MiB)
        try region.bind(offset: 0, length: 64 * MiB, policy: MemoryPolicy(.bind, nodes: [0]))
        let error = assertPageError(.system(errno: ENOMEM)) { try region.touch(offset: 0, length: 64 * MiB) }
        XCTAssertEqual(error?.message, "out of simulated memory at region 'heap' offset 0x2000000: the nodes policy bind:0 allows are full "
            + "(N0 32M of 32M used, N1 0 of 1G used)")
        XCTAssertEqual(try region.stats().nodes, [0: 32 * MiB])
        try region.bind(offset: 32 * MiB, length: 32 * MiB, policy: .default)
        try region.touch(offset: 32 * MiB, length: 32 * MiB)
        XCTAssertEqual(try region.stats().nodes, [0: 32 * MiB, 1: 32 * MiB], "the default policy falls back")
    }

    func testThreadPolicyAppliesWhereNoRangePolicyDoes() throws {
        let space = try space()
        let region = try committed(space, 16 * MiB)
        try space.setThreadPolicy(MemoryPolicy(.bind, nodes: [1]))
        XCTAssertEqual(try space.threadPolicy(), MemoryPolicy(.bind, nodes: [1]))
        try region.touch(offset: 0, length: 8 * MiB)
        try region.bind(offset: 8 * MiB, length: 8 * MiB, policy: MemoryPolicy(.local))
        try region.touch(offset: 8 * MiB, length: 8 * MiB)
        XCTAssertEqual(try region.stats().nodes, [0: 8 * MiB, 1: 8 * MiB])
        try space.setThreadPolicy(MemoryPolicy(.interleave, nodes: [0, 1]))
        let other = try committed(space, 8 * MiB, name: "other")
        try other.touch(pages: [0, 7, 3, 100])
        XCTAssertEqual(try other.stats().nodes, [0: 2 * pageSize, 1: 2 * pageSize], "round robin in allocation order")
    }

    func testMigrationAndBindWithMove() throws {
        let space = try space(thp: "always")
        let region = try space.reserve(size: 16 * MiB, options: ReserveOptions(align: 2 * MiB))
        try region.commit(offset: 0, length: 16 * MiB)
        try region.touch(offset: 0, length: 16 * MiB)
        XCTAssertEqual(try region.stats().huge, 16 * MiB)
        XCTAssertEqual(try region.migrate(offset: 0, length: 4 * MiB, to: 1).moved, 4 * MiB / pageSize)
        XCTAssertEqual(try region.stats().nodes, [0: 12 * MiB, 1: 4 * MiB])
        try region.bind(offset: 8 * MiB, length: 8 * MiB, policy: MemoryPolicy(.bind, nodes: [1]), move: true)
        XCTAssertEqual(try region.stats().nodes, [0: 4 * MiB, 1: 12 * MiB])
        XCTAssertEqual(try region.stats().huge, 16 * MiB, "huge pages move whole")
        XCTAssertEqual(try region.policies().map(\.policy), [MemoryPolicy(.bind, nodes: [1])])
    }

    func testImpossibleTopologiesAreRefusedByName() {
        let cases: [(() throws -> Any, String)] = [
            ({ try NUMATopology(count: 2, memory: [GiB], distances: [[10, 21, 21], [21, 10, 21]]) },
             "distance row 1 has 3 entries for 2 nodes"),
            ({ try NUMATopology(count: 2, memory: [GiB], distances: [[10, 21]]) }, "the distance matrix has 1 rows for 2 nodes (one row per node)"),
            ({ try NUMATopology(count: 2, memory: [0]) }, "node 0 has memory 0; it must be positive"),
            ({ try NUMATopology(count: 2, memory: [GiB, GiB, GiB]) }, "memory lists 3 sizes for 2 nodes (give one size, or one per node)"),
            ({ try NUMATopology(count: 0, memory: [GiB]) }, "nodes = 0; a topology has 1 to 64 nodes"),
            ({ try NUMATopology(count: 2, memory: [GiB], distances: [[12, 21], [21, 10]]) }, "distance from node 0 to itself is 12; it must be 10"),
            ({ try NUMATopology(count: 2, memory: [GiB], distances: [[10, 5], [21, 10]]) }, "distance from node 0 to node 1 is 5; between nodes it must be 11 to 254"),
            ({ try NUMATopology.preset("8-socket") }, "unknown topology preset '8-socket' (presets: 1-node, 2-socket, 4-socket, 2-socket-snc)"),
            ({ try SimulatedMachine(topology: try NUMATopology(count: 1, memory: [GiB]), hugetlbPages: [GiB: 2]) },
             "the hugetlb pools put 2G on node 0, which has 1G"),
        ]
        for (build, message) in cases {
            XCTAssertThrowsError(try build()) { XCTAssertEqual(($0 as? PageError)?.message, message) }
        }
    }

    func testPoliciesOnMissingNodesAreRefusedAndChangeNothing() throws {
        let space = try space()
        let region = try committed(space, 8 * MiB)
        let cases: [(MemoryPolicy, String, String)] = [
            (MemoryPolicy(.bind, nodes: [5]), "nodes", "node 5 does not exist (nodes: 0-1)"),
            (MemoryPolicy(.preferred, nodes: [0, 1]), "nodes", "policy preferred takes exactly one node (got 0-1)"),
            (MemoryPolicy(.interleave), "nodes", "policy interleave needs at least one node"),
            (MemoryPolicy(.local, nodes: [0]), "nodes", "policy local takes no nodes (got 0)"),
            (MemoryPolicy(.bind, nodes: [1, 1]), "nodes", "node 1 is listed twice"),
            (MemoryPolicy(.weightedInterleave, nodes: [0, 1], weights: [1]), "weights", "1 weights for 2 nodes (one weight per node)"),
            (MemoryPolicy(.interleave, nodes: [0, 1], weights: [1, 2]), "weights", "weights apply only to policy weighted-interleave, not interleave"),
        ]
        for (policy, parameter, message) in cases {
            let error = assertPageError(.invalidArgument(parameter: parameter)) { try region.bind(offset: 0, length: 8 * MiB, policy: policy) }
            XCTAssertEqual(error?.message, message)
            assertPageError(.invalidArgument(parameter: parameter)) { try space.setThreadPolicy(policy) }
        }
        XCTAssertTrue(try region.policies().isEmpty)
        XCTAssertEqual(try space.threadPolicy(), .default)
        assertPageError(.invalidArgument(parameter: "node")) { try region.migrate(offset: 0, length: 8 * MiB, to: 3) }
    }

    func testPresets() throws {
        let four = try NUMATopology.preset("4-socket")
        XCTAssertEqual(four.nodeIDs, [0, 1, 2, 3])
        XCTAssertEqual(four.distance(0, 3), 21)
        XCTAssertEqual(four.fallbackOrders[2], [2, 0, 1, 3])
        let snc = try NUMATopology.preset("2-socket-snc")
        XCTAssertEqual(snc.fallbackOrders[2], [2, 3, 0, 1])
        XCTAssertEqual(NUMATopology.describe([0, 1, 2, 4, 6, 7]), "0-2,4,6-7")
    }
}
