import PageCore

/// NUMA placement for people: numa_maps lines per region and a numastat table per space.
enum NUMAReport {
    /// One line per part of each region with its own policy, as /proc/PID/numa_maps prints them:
    /// `600000000 interleave:0-1 anon=2048 dirty=2048 N0=1024 N1=1024 kernelpagesize_kB=4`.
    /// Page counts are in the region's page size; parts without pages show only their policy.
    static func numaMaps(_ regions: [Region]) throws -> String {
        var lines: [String] = []
        for region in regions {
            let pageSize = region.hugePageSize ?? HostInfo.pageSize
            for (range, policy) in try parts(of: region) {
                let stats = try region.stats(offset: range.lowerBound, length: range.count)
                var words = [String(region.base + UInt(range.lowerBound), radix: 16), policy?.numaMapsText ?? "default"]
                if region.hugePageSize != nil { words.append("huge") }
                let pages = stats.resident / pageSize
                if pages > 0 {
                    words += ["anon=\(pages)", "dirty=\(pages)"]
                    words += stats.nodes.sorted { $0.key < $1.key }.map { "N\($0.key)=\($0.value / pageSize)" }
                }
                words.append("kernelpagesize_kB=\(pageSize / 1024)")
                lines.append(words.joined(separator: " ") + "  (\(region.name))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The region cut where its policy changes: (range, its own policy or nil).
    private static func parts(of region: Region) throws -> [(Range<Int>, MemoryPolicy?)] {
        var result: [(Range<Int>, MemoryPolicy?)] = []
        var cursor = 0
        for (range, policy) in try region.policies() {
            if range.lowerBound > cursor { result.append((cursor..<range.lowerBound, nil)) }
            result.append((range, policy))
            cursor = range.upperBound
        }
        if cursor < region.size { result.append((cursor..<region.size, nil)) }
        return result
    }

    /// `numastat -p` for the space's regions (MiB per node), then the allocation counters per
    /// node (pages), as `numastat` prints them.
    static func numastat(_ space: AddressSpace) throws -> String {
        let nodes = space.topology.nodeIDs
        let mib = Double(1 << 20)
        func megabytes(_ bytes: Int) -> String { String(format: "%.2f", Double(bytes) / mib) }
        var rows: [[String]] = []
        var totals = [Int](repeating: 0, count: nodes.count)
        for region in space.regions {
            let perNode = try region.stats().nodes
            let values = nodes.map { perNode[$0] ?? 0 }
            for (index, value) in values.enumerated() { totals[index] += value }
            rows.append([region.name] + values.map(megabytes) + [megabytes(values.reduce(0, +))])
        }
        rows.append(["Total"] + totals.map(megabytes) + [megabytes(totals.reduce(0, +))])
        let header = [space.source == .simulated ? "simulated process (MiB)" : "this process (MiB)"] + nodes.map { "Node \($0)" } + ["Total"]
        let usage = TextTable.render(header: header, rows: rows, rightAligned: Set(1...nodes.count + 1))
        let events = space.numaEvents()
        let counters: [(String, KeyPath<NUMAEvents, Int>)] = [
            ("numa_hit", \.numaHit), ("numa_miss", \.numaMiss), ("numa_foreign", \.numaForeign),
            ("interleave_hit", \.interleaveHit), ("local_node", \.localNode), ("other_node", \.otherNode),
        ]
        let counterRows = counters.map { name, path in [name] + nodes.map { String(events[$0]?[keyPath: path] ?? 0) } }
        let scope = space.source == .simulated ? "simulated allocations (pages)" : "whole system (pages)"
        let table = TextTable.render(header: [scope] + nodes.map { "node\($0)" }, rows: counterRows, rightAligned: Set(1...nodes.count))
        return usage + "\n\n" + table
    }
}
