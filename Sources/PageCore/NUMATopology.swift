/// A machine's NUMA nodes: their CPUs, their memory, and the distances between them as the ACPI
/// SLIT gives them (10 for a node to itself; numactl --hardware prints the same matrix). The host's
/// comes from sysfs; simulated ones are built from a description or a preset, and checked.
public struct NUMATopology: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        public var id: Int
        public var cpus: [Int]
        /// Bytes of memory on the node.
        public var memory: Int

        public init(id: Int, cpus: [Int], memory: Int) {
            self.id = id
            self.cpus = cpus
            self.memory = memory
        }
    }

    public let nodes: [Node]
    /// `distances[i][j]`: from the i-th node of `nodes` to the j-th.
    public let distances: [[Int]]
    /// Node ids ordered by distance from each node (ties by id): where an allocation falls back
    /// when a node is full, as the kernel's zonelists order them.
    let fallbackOrders: [Int: [Int]]
    /// The position of each node id in `nodes`.
    private let positions: [Int: Int]

    /// The distance of a node to itself (LOCAL_DISTANCE).
    public static let localDistance = 10
    /// The most nodes a simulated topology may have (node masks are 64 bits here).
    public static let maximumNodes = 64

    /// Checks and builds a topology: 1 to 64 nodes with distinct ids, positive page-multiple
    /// memory, a square distance matrix with 10 on the diagonal and 11 to 254 elsewhere.
    public init(nodes: [Node], distances: [[Int]]) throws(PageError) {
        guard (1...Self.maximumNodes).contains(nodes.count) else {
            throw .invalid("numa", "a topology has 1 to \(Self.maximumNodes) nodes, not \(nodes.count)")
        }
        var positions: [Int: Int] = [:]
        for (position, node) in nodes.enumerated() {
            guard node.id >= 0, positions.updateValue(position, forKey: node.id) == nil else {
                throw .invalid("numa", "node id \(node.id) is negative or given twice")
            }
            guard node.memory > 0 else {
                throw .invalid("numa", "node \(node.id) has memory \(node.memory); it must be positive")
            }
            guard node.memory % Host.pageSize == 0 else {
                throw .invalid("numa", "node \(node.id) memory \(node.memory) is not a multiple of the page size \(Host.pageSize)")
            }
        }
        guard distances.count == nodes.count else {
            throw .invalid("numa", "the distance matrix has \(distances.count) rows for \(nodes.count) nodes (one row per node)")
        }
        for (row, entries) in distances.enumerated() {
            guard entries.count == nodes.count else {
                throw .invalid("numa", "distance row \(row + 1) has \(entries.count) entries for \(nodes.count) nodes")
            }
            for (column, distance) in entries.enumerated() {
                let from = nodes[row].id, to = nodes[column].id
                if row == column, distance != Self.localDistance {
                    throw .invalid("numa", "distance from node \(from) to itself is \(distance); it must be \(Self.localDistance)")
                }
                if row != column, !(11...254).contains(distance) {
                    throw .invalid("numa", "distance from node \(from) to node \(to) is \(distance); between nodes it must be 11 to 254")
                }
            }
        }
        self.nodes = nodes
        self.distances = distances
        self.positions = positions
        var orders: [Int: [Int]] = [:]
        for (row, node) in nodes.enumerated() {
            orders[node.id] = nodes.indices.sorted { (distances[row][$0], nodes[$0].id) < (distances[row][$1], nodes[$1].id) }
                .map { nodes[$0].id }
        }
        fallbackOrders = orders
    }

    /// `count` nodes numbered from 0, with `memory` bytes each (one size for all, or one per
    /// node), `cpusPerNode` CPUs each numbered node by node, and `distances` (nil: 10 on the
    /// diagonal and 21 elsewhere, a two-socket machine's figure).
    public init(count: Int, memory: [Int], cpusPerNode: Int = 4, distances: [[Int]]? = nil) throws(PageError) {
        guard (1...Self.maximumNodes).contains(count) else {
            throw .invalid("numa", "nodes = \(count); a topology has 1 to \(Self.maximumNodes) nodes")
        }
        guard memory.count == 1 || memory.count == count else {
            throw .invalid("numa", "memory lists \(memory.count) sizes for \(count) nodes (give one size, or one per node)")
        }
        guard cpusPerNode >= 1 else { throw .invalid("numa", "cpus = \(cpusPerNode); each node needs at least one CPU") }
        let nodes = (0..<count).map { id in
            Node(id: id, cpus: Array(id * cpusPerNode..<(id + 1) * cpusPerNode), memory: memory.count == 1 ? memory[0] : memory[id])
        }
        let matrix = distances ?? (0..<count).map { row in (0..<count).map { $0 == row ? Self.localDistance : 21 } }
        try self.init(nodes: nodes, distances: matrix)
    }

    public var nodeIDs: [Int] { nodes.map(\.id) }

    /// The SLIT distance between two node ids (both must exist).
    public func distance(_ from: Int, _ to: Int) -> Int {
        distances[positions[from]!][positions[to]!]
    }

    public func contains(_ node: Int) -> Bool { positions[node] != nil }

    func node(_ id: Int) -> Node { nodes[positions[id]!] }

    /// The node a CPU belongs to; CPUs beyond those listed wrap around.
    func node(ofCPU cpu: Int) -> Int {
        let all = nodes.flatMap { node in node.cpus.map { (cpu: $0, node: node.id) } }.sorted { $0.cpu < $1.cpu }
        return all[cpu % all.count].node
    }

    /// Throws unless `node` exists, naming the parameter and the nodes there are.
    func requireNode(_ node: Int, parameter: String) throws(PageError) {
        guard contains(node) else {
            throw .invalid(parameter, "node \(node) does not exist (nodes: \(Self.describe(nodeIDs)))")
        }
    }

    /// A node list as numactl and numa_maps write it: "0-3", "0,2", "0-1,4".
    public static func describe(_ nodes: [Int]) -> String {
        var parts: [String] = []
        var index = 0
        let sorted = nodes.sorted()
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? "\(sorted[index])" : "\(sorted[index])-\(sorted[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}
