extension NUMATopology {
    /// This host's topology from /sys/devices/system/node: online nodes, their CPUs (cpulist),
    /// memory (nodeN/meminfo MemTotal) and distances. With a single node, its memory is
    /// /proc/meminfo's MemTotal: a VM that initialises memory lazily shows only part of it per
    /// node (linux-kernel.md §0). Falls back to one node with every CPU when sysfs says nothing.
    public static func host() -> NUMATopology {
        let ids = Host.numaNodes
        let memTotal = MemInfo.current().total
        let cpus = Kernel.onlineProcessors()
        let folder = "/sys/devices/system/node"
        var nodes: [Node] = []
        var distances: [[Int]] = []
        for id in ids {
            let cpuList = (try? Kernel.readText("\(folder)/node\(id)/cpulist")).flatMap(KernelText.numberList) ?? []
            let memory = ids.count == 1 ? memTotal
                : (try? Kernel.readText("\(folder)/node\(id)/meminfo")).map(KernelText.fields)?["Node \(id) MemTotal"] ?? 0
            nodes.append(Node(id: id, cpus: cpuList, memory: memory / Host.pageSize * Host.pageSize))
            distances.append((try? Kernel.readText("\(folder)/node\(id)/distance"))?
                .split(whereSeparator: \.isWhitespace).compactMap { Int($0) } ?? [])
        }
        if let topology = try? NUMATopology(nodes: nodes, distances: distances) { return topology }
        let single = Node(id: ids.first ?? 0, cpus: Array(0..<max(1, cpus)), memory: max(Host.pageSize, memTotal / Host.pageSize * Host.pageSize))
        // One node, positive memory and the local distance always pass the checks.
        return try! NUMATopology(nodes: [single], distances: [[localDistance]])
    }
}
