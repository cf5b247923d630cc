/// The simulated machine's physical memory, node by node: capacity, pages in use, where each
/// allocation goes under a memory policy, and the counters numastat shows. Nodes are named by
/// their position in the topology here; ids appear only at the edges (reports, errors).
final class NodeMemory {
    let topology: NUMATopology
    /// Base pages each node has for ordinary allocations (its memory minus its hugetlb pool).
    private(set) var capacity: [Int]
    private(set) var used: [Int]
    private(set) var events: [NUMAEvents]
    /// hugetlb pools by page size.
    var pools: [Int: HugetlbPool] = [:]
    /// Fallback order by distance from each node (positions), the kernel's zonelists.
    private let fallback: [[Int]]
    /// The position of each node id.
    private let positions: [Int: Int]
    /// The thread policy's interleave cursor (il_prev).
    private var interleaveCursor = 0

    static let pageSize = 4096

    init(machine: SimulatedMachine) {
        topology = machine.topology
        let count = topology.nodes.count
        var positions: [Int: Int] = [:]
        for (position, node) in topology.nodes.enumerated() { positions[node.id] = position }
        self.positions = positions
        let nodes = machine.topology
        fallback = nodes.nodes.map { node in nodes.fallbackOrders[node.id]!.map { positions[$0]! } }
        used = Array(repeating: 0, count: count)
        events = Array(repeating: NUMAEvents(), count: count)
        var capacity = nodes.nodes.map { $0.memory / Self.pageSize }
        for (size, total) in machine.hugetlbPages {
            let perNode = (0..<count).map { SimulatedMachine.share(of: total, position: $0, nodes: count) }
            pools[size] = HugetlbPool(pageSize: size, free: perNode)
            for position in 0..<count { capacity[position] -= perNode[position] * (size / Self.pageSize) }
        }
        self.capacity = capacity
    }

    func position(of id: Int) -> Int { positions[id]! }
    func id(at position: Int) -> Int { topology.nodes[position].id }
    func free(_ position: Int) -> Int { capacity[position] - used[position] }

    /// The node that an allocation of `pages` contiguous pages would get, and the node the
    /// policy intended, without allocating; nil when every node the policy allows is too full.
    /// `cpu` is the node of the allocating thread, `index` the interleave index of the page.
    func pick(_ pages: Int, _ policy: MemoryPolicy, cpu: Int, index: Int?) -> (node: Int, intended: Int)? {
        pick(policy, cpu: cpu, index: index) { free($0) >= pages }
    }

    /// `pick` with `fits` saying whether a node has room.
    private func pick(_ policy: MemoryPolicy, cpu: Int, index: Int?, fits: (Int) -> Bool) -> (node: Int, intended: Int)? {
        func member(_ node: Int) -> Bool { policy.nodes.contains(id(at: node)) }
        func firstFit(_ order: [Int], _ allowed: (Int) -> Bool) -> Int? {
            order.first { allowed($0) && fits($0) }
        }
        switch policy.mode {
        case .default, .local:
            return firstFit(fallback[cpu]) { _ in true }.map { ($0, cpu) }
        case .preferred:
            let intended = position(of: policy.nodes[0])
            return firstFit(fallback[intended]) { _ in true }.map { ($0, intended) }
        case .bind:
            let intended = fallback[cpu].first(where: member)!
            return firstFit(fallback[cpu], member).map { ($0, intended) }
        case .preferredMany:
            let intended = fallback[cpu].first(where: member)!
            return (firstFit(fallback[cpu], member) ?? firstFit(fallback[cpu]) { !member($0) }).map { ($0, intended) }
        case .interleave, .weightedInterleave:
            let intended = position(of: interleaveTarget(policy, index: index ?? interleaveCursor))
            return firstFit(fallback[intended]) { _ in true }.map { ($0, intended) }
        }
    }

    /// The node id interleaving puts page `index` on: nodes in turn, or by weight.
    private func interleaveTarget(_ policy: MemoryPolicy, index: Int) -> Int {
        guard policy.mode == .weightedInterleave, !policy.weights.isEmpty else {
            return policy.nodes[index % policy.nodes.count]
        }
        var slot = index % policy.weights.reduce(0, +)
        for (node, weight) in zip(policy.nodes, policy.weights) {
            if slot < weight { return node }
            slot -= weight
        }
        return policy.nodes[0]
    }

    /// One round of the node positions `policy` (interleave or weighted interleave) puts pages on
    /// in turn: page index i goes to the node at i modulo its length.
    func interleaveRound(_ policy: MemoryPolicy) -> [Int] {
        let length = policy.mode == .weightedInterleave && !policy.weights.isEmpty ? policy.weights.reduce(0, +) : policy.nodes.count
        return (0..<length).map { position(of: interleaveTarget(policy, index: $0)) }
    }

    /// Allocates `pages[node]` pages on each node for an interleaved range, if each node has room
    /// for its share: page-by-page allocation then puts every page on the node it intends (a
    /// node is first in its own fallback order), so the counts are those. False, taking nothing,
    /// otherwise.
    func allocateInterleaved(_ pages: [Int], cpu: Int) -> Bool {
        guard pages.indices.allSatisfy({ free($0) >= pages[$0] }) else { return false }
        for (node, count) in pages.enumerated() where count > 0 {
            take(count, on: node, intended: node, cpu: cpu, interleaved: true, advancesCursor: false)
        }
        return true
    }

    /// Takes `pages` on `node` and counts the allocation as numastat does (in pages here).
    func take(_ pages: Int, on node: Int, intended: Int, cpu: Int, interleaved: Bool, advancesCursor: Bool) {
        used[node] += pages
        if node == intended {
            events[node].numaHit += pages
            if interleaved { events[node].interleaveHit += pages }
        } else {
            events[node].numaMiss += pages
            events[intended].numaForeign += pages
        }
        if node == cpu { events[node].localNode += pages } else { events[node].otherNode += pages }
        if advancesCursor { interleaveCursor += 1 }
    }

    /// Allocates `pages` on `cpu`'s own node if it has room: the default policy's first choice,
    /// without a policy to consult. Nil when the node is full (the caller then asks `allocate`).
    func allocateLocal(_ pages: Int, cpu: Int) -> Int? {
        guard capacity[cpu] - used[cpu] >= pages else { return nil }
        used[cpu] += pages
        events[cpu].numaHit += pages
        events[cpu].localNode += pages
        return cpu
    }

    /// Allocates `pages` contiguous pages under `policy` (`index` nil: the thread's interleave
    /// cursor); returns the node position, or nil when the policy's nodes are full.
    func allocate(_ pages: Int, _ policy: MemoryPolicy, cpu: Int, index: Int?) -> Int? {
        guard let (node, intended) = pick(pages, policy, cpu: cpu, index: index) else { return nil }
        let interleaved = policy.mode == .interleave || policy.mode == .weightedInterleave
        take(pages, on: node, intended: intended, cpu: cpu, interleaved: interleaved, advancesCursor: interleaved && index == nil)
        return node
    }

    /// Allocates `pages` pages as shmem's fallocate does for a thread on `cpu` under the default
    /// policy: on its own node while it has room, then on the others by distance. Returns how
    /// many went to each node; nil, taking nothing, when all nodes together lack room.
    func allocateSpread(_ pages: Int, cpu: Int) -> [(node: Int, pages: Int)]? {
        guard fallback[cpu].reduce(0, { $0 + free($1) }) >= pages else { return nil }
        var left = pages
        var placed: [(node: Int, pages: Int)] = []
        for node in fallback[cpu] where left > 0 && free(node) > 0 {
            let count = min(left, free(node))
            take(count, on: node, intended: cpu, cpu: cpu, interleaved: false, advancesCursor: false)
            placed.append((node, count))
            left -= count
        }
        return placed
    }

    /// Takes a free page from the `pageSize` pool for a mapping that reserved it, on the node the
    /// policy picks among those with a free pool page; nil when none of the allowed nodes has one.
    func allocatePoolPage(_ pageSize: Int, _ policy: MemoryPolicy, cpu: Int, index: Int) -> Int? {
        guard let pool = pools[pageSize], let (node, _) = pick(policy, cpu: cpu, index: index, fits: { pool.free[$0] > 0 }) else {
            return nil
        }
        pools[pageSize]?.free[node] -= 1
        pools[pageSize]?.reserved -= 1
        return node
    }

    /// Gives a hugetlb page back to its pool, still promised to the mapping that had it.
    func releasePoolPage(_ pageSize: Int, on node: Int) {
        pools[pageSize]?.free[node] += 1
        pools[pageSize]?.reserved += 1
    }

    func release(_ pages: Int, on node: Int) {
        used[node] -= pages
    }

    /// Moves `pages` from one node to another (migration); false if `to` lacks room.
    func move(_ pages: Int, from: Int, to: Int) -> Bool {
        guard free(to) >= pages else { return false }
        used[from] -= pages
        used[to] += pages
        return true
    }

    /// Moves a hugetlb page between nodes' pools (the target needs a free one); false if none.
    func movePoolPage(_ pageSize: Int, from: Int, to: Int) -> Bool {
        guard let pool = pools[pageSize], pool.free[to] > 0 else { return false }
        pools[pageSize]?.free[to] -= 1
        pools[pageSize]?.free[from] += 1
        return true
    }

    /// "N0 16G of 16G used, N1 3G of 16G used": for out-of-memory messages.
    func usageText() -> String {
        topology.nodes.indices.map { position in
            "N\(id(at: position)) \(ByteSize.format(used[position] * Self.pageSize)) of \(ByteSize.format(capacity[position] * Self.pageSize)) used"
        }.joined(separator: ", ")
    }
}

/// numastat's counters for one node, in 4 KiB pages: allocations that got the node the policy
/// intended (hit), that landed here instead of elsewhere (miss) or elsewhere instead of here
/// (foreign), interleaved ones that got their node, and whether the allocating thread ran on the
/// node (local) or not (other).
public struct NUMAEvents: Sendable, Equatable {
    public var numaHit = 0, numaMiss = 0, numaForeign = 0, interleaveHit = 0, localNode = 0, otherNode = 0

    public init() {}
}

/// A hugetlb pool of one page size: free pages per node, and pages promised to mappings
/// (reserved at mmap time, taken at fault time).
struct HugetlbPool {
    let pageSize: Int
    var free: [Int]
    var reserved = 0

    init(pageSize: Int, free: [Int]) {
        self.pageSize = pageSize
        self.free = free
    }

    var total: Int { free.reduce(0, +) }
    /// Free pages no mapping has been promised.
    var available: Int { total - reserved }
}
