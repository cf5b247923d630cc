/// Memory policies on the model: mbind with and without MPOL_MF_MOVE, the thread's policy,
/// move_pages.
extension ModelBackend {
    func bind(_ region: Region, _ span: Range<Int>, _ policy: MemoryPolicy, move: Bool) throws(PageError) {
        let stored: MemoryPolicy? = policy.mode == .default ? nil : policy
        splitEdges(region, span) { region.policies.value(at: $0) != stored }
        guard move else { return }
        _ = relocate(region, span) { address, node, pages in
            conformingNode(policy, address: address, node: node, pages: pages)
        }
    }

    /// Where MPOL_MF_MOVE puts a page on `node` under `policy`: where it is if it conforms, else
    /// where the policy would allocate it now (and stays put if that node has no room).
    private func conformingNode(_ policy: MemoryPolicy, address: UInt, node: Int, pages: Int) -> Int {
        let member = policy.nodes.contains(memory.id(at: node))
        let index = Int(address >> UInt(pages == 1 ? PageTables.pageShift : PageTables.pmdShift))
        switch policy.mode {
        case .default, .local: return node
        case .bind, .preferredMany: if member { return node }
        case .preferred: if member { return node }
        case .interleave, .weightedInterleave: break
        }
        return memory.pick(pages, policy, cpu: mainCPU, index: index)?.node ?? node
    }

    func setThreadPolicy(_ policy: MemoryPolicy) throws(PageError) {
        taskPolicy = policy
    }

    func threadPolicy() throws(PageError) -> MemoryPolicy {
        taskPolicy
    }

    func migrate(_ region: Region, _ span: Range<Int>, to node: Int) throws(PageError) -> Int {
        let target = memory.position(of: node)
        return relocate(region, span) { _, _, _ in target }
    }

    /// numastat's counters per node id.
    var numaEvents: [Int: NUMAEvents] {
        Dictionary(uniqueKeysWithValues: memory.events.enumerated().map { (memory.id(at: $0.offset), $0.element) })
    }

    /// Bytes in use and bytes available for ordinary pages, per node id.
    var nodeUsage: [Int: NodeUsage] {
        Dictionary(uniqueKeysWithValues: topology.nodes.indices.map { position in
            let pools = memory.pools.values.map { ($0.pageSize, $0.free[position]) }
            return (memory.id(at: position), NodeUsage(
                used: memory.used[position] * Self.pageSize, capacity: memory.capacity[position] * Self.pageSize,
                hugetlbFree: Dictionary(uniqueKeysWithValues: pools)))
        })
    }
}

/// A node's memory as the model sees it: bytes of ordinary pages in use, bytes it has for them
/// (its memory less its hugetlb pool), and free hugetlb pages by page size.
public struct NodeUsage: Sendable, Equatable {
    public var used: Int
    public var capacity: Int
    public var hugetlbFree: [Int: Int]
}
