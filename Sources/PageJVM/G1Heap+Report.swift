import PageCore

/// Page statistics of all regions of one type and state.
public struct G1TypeStatistics: Sendable, Equatable {
    public let type: G1RegionType
    public let state: G1RegionState
    public internal(set) var regions = 0
    /// Bytes allocated in them.
    public internal(set) var used = 0
    /// Committed, resident, huge... bytes over their address ranges, from `Region.stats`.
    public internal(set) var pages = PageStats()
}

extension G1Heap {
    /// Page statistics per region type (active regions), then for inactive and for uncommitted
    /// regions; only kinds that occur, active ones in `G1RegionType` order. Each run
    /// of consecutive regions of one kind is measured with one `Region.stats` call.
    public func statisticsByType() throws(PageError) -> [G1TypeStatistics] {
        try runUncommitTask()
        var byKind: [String: G1TypeStatistics] = [:]
        var index = 0
        while index < regions.count {
            let kind = (type: regions[index].type, state: regions[index].state)
            var end = index
            var used = 0
            while end < regions.count && regions[end].type == kind.type && regions[end].state == kind.state {
                used += regions[end].used
                end += 1
            }
            let pages = try heap.stats(offset: heapOffset + index * regionSize, length: (end - index) * regionSize)
            let key = "\(kind.type.rawValue)/\(kind.state.rawValue)"
            var entry = byKind[key] ?? G1TypeStatistics(type: kind.type, state: kind.state)
            entry.regions += end - index
            entry.used += used
            entry.pages = entry.pages.adding(pages)
            byKind[key] = entry
            index = end
        }
        func rank(_ entry: G1TypeStatistics) -> (Int, Int) {
            (G1RegionState.allCases.firstIndex(of: entry.state)!, G1RegionType.allCases.firstIndex(of: entry.type)!)
        }
        return byKind.values.sorted { rank($0) < rank($1) }
    }

    /// One character per region, 64 to a line, each line led by its first region's index, and a
    /// legend of the characters that occur.
    public func regionMap() -> String {
        let symbols = regions.map { $0.state == .active ? $0.type.symbol : $0.state.symbol }
        let width = String(regions.count - 1).count
        var lines = ["\(regions.count) regions of \(ByteSize.format(regionSize)) (JDK \(jdk))"]
        for start in stride(from: 0, to: symbols.count, by: 64) {
            let label = String(start)
            lines.append(String(repeating: " ", count: width - label.count) + label + " " + String(symbols[start..<min(start + 64, symbols.count)]))
        }
        let names: [(Character, String)] = G1RegionType.allCases.map { ($0.symbol, Self.legendName($0)) }
            + [(G1RegionState.inactive.symbol, "inactive (uncommit pending)"), (G1RegionState.uncommitted.symbol, "uncommitted")]
        let present = Set(symbols)
        lines.append(names.filter { present.contains($0.0) }.map { "\($0.0) \($0.1)" }.joined(separator: "  "))
        return lines.joined(separator: "\n")
    }

    private static func legendName(_ type: G1RegionType) -> String {
        switch type {
        case .free: "free"
        case .eden: "eden"
        case .survivor: "survivor"
        case .old: "old"
        case .startsHumongous: "humongous start"
        case .continuesHumongous: "humongous continues"
        case .openArchive: "open archive"
        case .closedArchive: "closed archive"
        }
    }
}

extension PageStats {
    /// The sums of two sets of statistics, node by node.
    func adding(_ other: PageStats) -> PageStats {
        PageStats(size: size + other.size, committed: committed + other.committed, resident: resident + other.resident,
                  zero: zero + other.zero, huge: huge + other.huge, swapped: swapped + other.swapped,
                  locked: locked + other.locked, nodes: nodes.merging(other.nodes, uniquingKeysWith: +))
    }
}
