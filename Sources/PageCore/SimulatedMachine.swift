/// The machine the model backend simulates: NUMA topology, transparent huge page mode, hugetlb
/// pools and paging depth. Checked when built, so a model never runs on an impossible machine.
public struct SimulatedMachine: Sendable {
    public let topology: NUMATopology
    /// "always", "madvise" or "never", as /sys/kernel/mm/transparent_hugepage/enabled.
    public let thpMode: String
    /// hugetlb pool size in pages, by page size (2 MiB, 1 GiB); each pool is spread over the
    /// nodes round robin, as the kernel fills nr_hugepages, and its memory is no longer free.
    public let hugetlbPages: [Int: Int]
    /// 4 (x86-64's 48-bit, 128 TiB user space) or 5 (57-bit, with a P4D level).
    public let pageTableLevels: Int

    /// The page sizes of x86-64: hugetlb pools can hold these.
    public static let hugePageSizes = [2 << 20, 1 << 30]
    public static let thpModes = ["always", "madvise", "never"]

    public init(topology: NUMATopology, thpMode: String = "madvise", hugetlbPages: [Int: Int] = [:],
                pageTableLevels: Int = 4) throws(PageError) {
        guard Self.thpModes.contains(thpMode) else {
            throw .invalid("thp", "THP mode '\(thpMode)' is not one of: \(Self.thpModes.joined(separator: ", "))")
        }
        guard pageTableLevels == 4 || pageTableLevels == 5 else {
            throw .invalid("levels", "page-table levels \(pageTableLevels) is not 4 or 5")
        }
        for (size, count) in hugetlbPages.sorted(by: { $0.key < $1.key }) {
            guard Self.hugePageSizes.contains(size) else {
                throw .invalid("hugetlb", "hugetlb page size \(ByteSize.format(size)) is not one of 2M, 1G")
            }
            guard count >= 0 else { throw .invalid("hugetlb", "hugetlb pool of \(count) \(ByteSize.format(size)) pages is negative") }
        }
        for node in topology.nodes {
            let position = topology.nodes.firstIndex(of: node)!
            let pooled = hugetlbPages.reduce(0) { total, pool in
                total + Self.share(of: pool.value, position: position, nodes: topology.nodes.count) * pool.key
            }
            guard pooled <= node.memory else {
                throw .invalid("hugetlb", "the hugetlb pools put \(ByteSize.format(pooled)) on node \(node.id), "
                    + "which has \(ByteSize.format(node.memory))")
            }
        }
        self.topology = topology
        self.thpMode = thpMode
        self.hugetlbPages = hugetlbPages
        self.pageTableLevels = pageTableLevels
    }

    /// A model of this host: its topology, THP mode and hugetlb pools (what is not offered here
    /// stays empty), 4-level paging.
    public static func likeHost() -> SimulatedMachine {
        let pools = Host.readHugetlbPools().filter { hugePageSizes.contains($0.key) }.mapValues(\.total)
        let mode = thpModes.contains(Host.thpMode) ? Host.thpMode : "never"
        return (try? SimulatedMachine(topology: .host(), thpMode: mode, hugetlbPages: pools))
            ?? (try! SimulatedMachine(topology: .host(), thpMode: mode))  // a pool too big for the host: left out
    }

    /// Pages of a pool of `count` that land on the node at `position` when spread round robin.
    static func share(of count: Int, position: Int, nodes: Int) -> Int {
        count / nodes + (position < count % nodes ? 1 : 0)
    }

    /// The highest user address + 1 (TASK_SIZE): 128 TiB with 4 levels, 64 PiB with 5.
    var userAddressLimit: UInt { pageTableLevels == 5 ? (1 << 56) - 4096 : (1 << 47) - 4096 }
}
