/// A NUMA memory policy (set_mempolicy(2), mbind(2)): where the pages of a range, or of a thread's
/// allocations, are placed. Checked against a topology before use.
public struct MemoryPolicy: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        /// The thread's policy for a range; for a thread, `local`.
        case `default`
        /// The node of the CPU that faults the page in (first touch), falling back by distance.
        case local
        /// Only the given nodes, nearest first; out of memory when they are all full.
        case bind
        /// The given node, falling back by distance from it when it is full.
        case preferred
        /// The nearest of the given nodes, then any node.
        case preferredMany = "preferred-many"
        /// Page by page over the given nodes (by virtual page number for a range, round robin for
        /// a thread), falling back when a node is full.
        case interleave
        /// As interleave, with `weights[i]` pages on `nodes[i]` in each round.
        case weightedInterleave = "weighted-interleave"

        /// The MPOL_* value of the system calls.
        var kernelValue: Int32 {
            switch self {
            case .default: 0
            case .preferred: 1
            case .bind: 2
            case .interleave: 3
            case .local: 4
            case .preferredMany: 5
            case .weightedInterleave: 6
            }
        }

        init?(kernelValue: Int32) {
            guard let mode = Mode.allCases.first(where: { $0.kernelValue == kernelValue }) else { return nil }
            self = mode
        }
    }

    public var mode: Mode
    public var nodes: [Int]
    /// For weighted-interleave: one weight (1 to 255) per entry of `nodes`; empty means 1 each.
    public var weights: [Int]

    public init(_ mode: Mode, nodes: [Int] = [], weights: [Int] = []) {
        self.mode = mode
        self.nodes = nodes
        self.weights = weights
    }

    public static let `default` = MemoryPolicy(.default)

    /// Throws unless the policy makes sense on `topology`: nodes that exist, none twice, as many
    /// as the mode takes, weights only for weighted-interleave. Errors name the value.
    public func validate(on topology: NUMATopology) throws(PageError) {
        switch mode {
        case .default, .local:
            guard nodes.isEmpty else { throw .invalid("nodes", "policy \(mode.rawValue) takes no nodes (got \(NUMATopology.describe(nodes)))") }
        case .preferred:
            guard nodes.count == 1 else {
                throw .invalid("nodes", "policy preferred takes exactly one node (got \(nodes.isEmpty ? "none" : NUMATopology.describe(nodes)))")
            }
        case .bind, .preferredMany, .interleave, .weightedInterleave:
            guard !nodes.isEmpty else { throw .invalid("nodes", "policy \(mode.rawValue) needs at least one node") }
        }
        for node in nodes {
            try topology.requireNode(node, parameter: "nodes")
        }
        if let repeated = nodes.first(where: { node in nodes.filter { $0 == node }.count > 1 }) {
            throw .invalid("nodes", "node \(repeated) is listed twice")
        }
        guard !weights.isEmpty else { return }
        guard mode == .weightedInterleave else {
            throw .invalid("weights", "weights apply only to policy weighted-interleave, not \(mode.rawValue)")
        }
        guard weights.count == nodes.count else {
            throw .invalid("weights", "\(weights.count) weights for \(nodes.count) nodes (one weight per node)")
        }
        if let bad = weights.first(where: { !(1...255).contains($0) }) {
            throw .invalid("weights", "weight \(bad) is not between 1 and 255")
        }
    }

    /// The policy as /proc/PID/numa_maps shows it: "default", "bind:0-1", "prefer:1",
    /// "interleave:0-3", "prefer (many):0,2", "weighted interleave:0-1", "local".
    public var numaMapsText: String {
        let list = NUMATopology.describe(nodes)
        switch mode {
        case .default: return "default"
        case .local: return "local"
        case .bind: return "bind:\(list)"
        case .preferred: return "prefer:\(list)"
        case .preferredMany: return "prefer (many):\(list)"
        case .interleave: return "interleave:\(list)"
        case .weightedInterleave: return "weighted interleave:\(list)"
        }
    }
}
