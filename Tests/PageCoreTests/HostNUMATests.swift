import Glibc
import XCTest
@testable import PageCore

/// Memory policies through the real system calls. On a one-node host they work and everything is
/// on node 0; what needs two nodes skips.
final class HostNUMATests: PageCoreTestCase {
    override func tearDown() {
        try? space.setThreadPolicy(.default)
        super.tearDown()
    }

    func testHostTopologyComesFromSysfs() {
        let topology = space.topology
        XCTAssertEqual(topology.nodeIDs, Host.numaNodes)
        XCTAssertEqual(topology.nodes.flatMap(\.cpus).count, Kernel.onlineProcessors())
        XCTAssertTrue(topology.nodes.allSatisfy { $0.memory > 0 })
        for a in topology.nodeIDs { XCTAssertEqual(topology.distance(a, a), 10) }
    }

    func testEveryPolicyOnNodeZeroBindsAndReadsBack() throws {
        let region = try committedRegion(16 * MiB)
        for mode in MemoryPolicy.Mode.allCases {
            let nodes = mode == .default || mode == .local ? [] : [0]
            let policy = MemoryPolicy(mode, nodes: nodes)
            try region.bind(offset: 0, length: 8 * MiB, policy: policy, move: true)
            try space.setThreadPolicy(policy)
            XCTAssertEqual(try space.threadPolicy(), policy, mode.rawValue)
        }
        try region.touch(offset: 0, length: 16 * MiB)
        XCTAssertEqual(Set(try region.pageNodes()), [0])
        XCTAssertEqual(try region.stats().nodes, [0: 16 * MiB])
        XCTAssertEqual(try region.migrate(offset: 0, length: 16 * MiB, to: 0).moved, 0, "already there")
        _ = try region.touch(offset: 0, length: pageSize, options: TouchOptions(threads: 2, node: 0))
    }

    func testMissingNodesAndHostWeightsAreRefused() throws {
        let region = try committedRegion(4 * MiB)
        let missing = (space.topology.nodeIDs.max() ?? 0) + 1
        let error = assertPageError(.invalidArgument(parameter: "nodes")) {
            try region.bind(offset: 0, length: 4 * MiB, policy: MemoryPolicy(.bind, nodes: [missing]))
        }
        XCTAssertEqual(error?.message, "node \(missing) does not exist (nodes: \(NUMATopology.describe(space.topology.nodeIDs)))")
        assertPageError(.invalidArgument(parameter: "weights")) {
            try region.bind(offset: 0, length: 4 * MiB, policy: MemoryPolicy(.weightedInterleave, nodes: [0], weights: [2]))
        }
        assertPageError(.invalidArgument(parameter: "node")) {
            try region.touch(offset: 0, length: pageSize, options: TouchOptions(node: missing))
        }
        XCTAssertTrue(try region.policies().isEmpty)
    }

    func testInterleaveSpreadsOverTwoNodes() throws {
        let nodes = space.topology.nodeIDs
        guard nodes.count >= 2 else { throw XCTSkip("this host has \(nodes.count) NUMA node; interleaving needs two") }
        let region = try committedRegion(16 * MiB)
        try region.bind(offset: 0, length: 16 * MiB, policy: MemoryPolicy(.interleave, nodes: Array(nodes.prefix(2))))
        try region.touch(offset: 0, length: 16 * MiB)
        XCTAssertEqual(try region.stats().nodes, [nodes[0]: 8 * MiB, nodes[1]: 8 * MiB])
    }
}
