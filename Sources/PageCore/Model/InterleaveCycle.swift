/// The nodes an interleave policy of a range puts base pages on, one round of them: the page
/// with virtual page number p goes to `nodes[p % nodes.count]`, as the kernel's interleave by
/// page offset does. A PTE table whose 512 pages a touch interleaved is kept as a reference to
/// its round instead of 512 entries, so that interleaving 64 GiB costs one entry per GiB, as a
/// contiguous touch on one node does, and the pages per node are still counted exactly.
struct InterleaveCycle: Equatable {
    /// Node positions, one per page of a round (a node appears `weight` times in a row).
    let nodes: [Int]

    /// The node of the base page at `address`.
    func node(at address: UInt) -> Int {
        nodes[Int(address >> UInt(PageTables.pageShift) % UInt(nodes.count))]
    }

    /// Base pages of `range` (page-aligned) on each node position (`nodeCount` of them).
    func pages(in range: Range<UInt>, nodeCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: nodeCount)
        let first = range.lowerBound >> UInt(PageTables.pageShift), end = range.upperBound >> UInt(PageTables.pageShift)
        let rounds = Int((end - first) / UInt(nodes.count))
        if rounds > 0 { for node in nodes { counts[node] += rounds } }
        var page = first + UInt(rounds * nodes.count)
        while page < end {
            counts[nodes[Int(page % UInt(nodes.count))]] += 1
            page += 1
        }
        return counts
    }
}

/// The rounds in use, by number: PMD entries name theirs by number, which keeps them plain values.
final class InterleaveCycles {
    private var cycles: [InterleaveCycle] = []

    subscript(number: Int) -> InterleaveCycle { cycles[number] }

    /// The number of `cycle`, registered if new.
    func number(of cycle: InterleaveCycle) -> Int {
        if let number = cycles.firstIndex(of: cycle) { return number }
        cycles.append(cycle)
        return cycles.count - 1
    }
}
