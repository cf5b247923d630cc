/// What placement costs: the expected distance of memory accesses, from the SLIT matrix. The
/// SLIT's 10 is a local access and 21 one that takes 2.1 times as long, so an access pattern's
/// cost relative to all-local is its average distance over 10: with 10% of accesses remote at
/// 21, 0.9 × 10 + 0.1 × 21 = 11.1, 11% slower (the worked example of seed 001).
public struct AccessCost: Sendable, Equatable {
    /// Average SLIT distance of an access.
    public var averageDistance: Double
    /// Share of accesses that leave the accessing thread's node.
    public var remoteShare: Double

    /// Cost relative to all-local accesses (1.0 is all local).
    public var relative: Double { averageDistance / Double(NUMATopology.localDistance) }
}

extension NUMATopology {
    /// The cost of threads on the nodes of `threads` (node → share of the accesses) reading
    /// memory laid out as `pages` (node → bytes) uniformly: every byte equally likely, whatever
    /// the order (order matters to caches and TLBs, not to the distance).
    public func accessCost(pages: [Int: Int], from threads: [Int: Double]) throws(PageError) -> AccessCost {
        for node in pages.keys.sorted() + threads.keys.sorted() { try requireNode(node, parameter: "nodes") }
        let bytes = pages.values.reduce(0, +)
        let weight = threads.values.reduce(0, +)
        guard bytes > 0 else { throw .invalid("pages", "no resident page to access") }
        guard weight > 0, threads.values.allSatisfy({ $0 >= 0 }) else {
            throw .invalid("from", "thread shares \(threads.sorted { $0.key < $1.key }.map { "N\($0.key)=\($0.value)" }.joined(separator: " ")) do not add up to a positive share")
        }
        var distance = 0.0, remote = 0.0
        for (thread, share) in threads {
            for (node, size) in pages {
                let fraction = share / weight * Double(size) / Double(bytes)
                distance += fraction * Double(self.distance(thread, node))
                if node != thread { remote += fraction }
            }
        }
        return AccessCost(averageDistance: distance, remoteShare: remote)
    }
}
