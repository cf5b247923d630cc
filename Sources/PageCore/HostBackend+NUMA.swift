import Glibc

/// NUMA on the host: mbind, set_mempolicy, get_mempolicy and move_pages of this process, and
/// CPU affinity for touches placed on a node.
extension HostBackend {
    func bind(_ region: Region, _ span: Range<Int>, _ policy: MemoryPolicy, move: Bool) throws(PageError) {
        try refuseWeights(policy)
        do throws(Errno) {
            try Kernel.bind(region.address(span.lowerBound), length: span.count, mode: policy.mode.kernelValue,
                            nodes: Self.mask(policy.nodes), move: move)
        } catch {
            throw .system(error, "cannot bind region '\(region.name)' range \(region.describe(span)) to \(policy.numaMapsText): mbind")
        }
    }

    func setThreadPolicy(_ policy: MemoryPolicy) throws(PageError) {
        try refuseWeights(policy)
        do throws(Errno) {
            try Kernel.setThreadPolicy(mode: policy.mode.kernelValue, nodes: Self.mask(policy.nodes))
        } catch {
            throw .system(error, "cannot set the thread's policy to \(policy.numaMapsText): set_mempolicy")
        }
    }

    func threadPolicy() throws(PageError) -> MemoryPolicy {
        let policy: (mode: Int32, nodes: UInt64)
        do throws(Errno) {
            policy = try Kernel.threadPolicy()
        } catch {
            throw .system(error, "cannot read the thread's policy: get_mempolicy")
        }
        // The high bits carry MPOL_F_STATIC_NODES and friends, which PageLab never sets.
        let mode = MemoryPolicy.Mode(kernelValue: policy.mode & 0xff) ?? .default
        let nodes = (0..<64).filter { policy.nodes & (1 << UInt64($0)) != 0 }
        return MemoryPolicy(mode, nodes: mode == .default || mode == .local ? [] : nodes)
    }

    /// Weighted interleave on the host takes its weights from
    /// /sys/kernel/mm/mempolicy/weighted_interleave, not from the call.
    private func refuseWeights(_ policy: MemoryPolicy) throws(PageError) {
        guard policy.weights.isEmpty else {
            throw .invalid("weights", "the host takes interleave weights from /sys/kernel/mm/mempolicy/weighted_interleave, "
                + "not per call (weights \(policy.weights.map(String.init).joined(separator: ","))); use the model for per-call weights")
        }
    }

    static func mask(_ nodes: [Int]) -> UInt64 {
        nodes.reduce(0) { $0 | 1 << UInt64($1) }
    }

    func pageNodes(_ region: Region, _ span: Range<Int>) throws(PageError) -> [Int] {
        try movePages(region, span, to: nil)
    }

    func migrate(_ region: Region, _ span: Range<Int>, to node: Int) throws(PageError) -> Int {
        let before = try movePages(region, span, to: nil)
        let after = try movePages(region, span, to: node)
        return zip(before, after).filter { $0 >= 0 && $0 != node && $1 == node }.count
    }

    /// move_pages over every base page of `span`, in batches: a query, or a move to `node`.
    private func movePages(_ region: Region, _ span: Range<Int>, to node: Int?) throws(PageError) -> [Int] {
        let pageSize = region.pageSize
        let batch = 4096
        var result: [Int] = []
        result.reserveCapacity(span.count / pageSize)
        var pages = [UnsafeMutableRawPointer?](repeating: nil, count: batch)
        var status = [Int32](repeating: 0, count: batch)
        let nodes = [Int32](repeating: Int32(node ?? 0), count: batch)
        var offset = span.lowerBound
        while offset < span.upperBound {
            let count = min(batch, (span.upperBound - offset) / pageSize)
            for index in 0..<count { pages[index] = UnsafeMutableRawPointer(bitPattern: region.address(offset + index * pageSize)) }
            do throws(Errno) {
                try pages.withUnsafeMutableBufferPointer { pages throws(Errno) in
                    try status.withUnsafeMutableBufferPointer { status throws(Errno) in
                        if node != nil {
                            try nodes.withUnsafeBufferPointer { nodes throws(Errno) in
                                try Kernel.movePages(pages.baseAddress!, count: count, to: nodes.baseAddress!, status: status.baseAddress!)
                            }
                        } else {
                            try Kernel.queryNodes(of: pages.baseAddress!, count: count, into: status.baseAddress!)
                        }
                    }
                }
            } catch {
                throw .system(error, "cannot \(node.map { "move pages of region '\(region.name)' to node \($0)" } ?? "query the nodes of region '\(region.name)'"): move_pages")
            }
            result += status[..<count].map(Int.init)
            offset += count * pageSize
        }
        return result
    }

    /// Runs `body` with the calling thread (and the touch workers it starts) on the CPUs of
    /// `node`, then puts the affinity back.
    func withThreadsOn(_ node: Int?, _ body: () throws(PageError) -> Void) throws(PageError) {
        guard let node else { return try body() }
        let saved: [UInt64]
        var mask = [UInt64](repeating: 0, count: 16)
        for cpu in topology.node(node).cpus where cpu < 1024 { mask[cpu / 64] |= 1 << UInt64(cpu % 64) }
        do throws(Errno) {
            saved = try Kernel.affinity()
            try Kernel.setAffinity(mask)
        } catch {
            throw .system(error, "cannot run on the CPUs of node \(node): sched_setaffinity")
        }
        defer { try? Kernel.setAffinity(saved) }
        try body()
    }

    /// The whole system's numastat counters (/sys/devices/system/node/nodeN/numastat), in pages.
    static func systemNUMAEvents(_ topology: NUMATopology) -> [Int: NUMAEvents] {
        var events: [Int: NUMAEvents] = [:]
        for id in topology.nodeIDs {
            var counters = NUMAEvents()
            let text = (try? Kernel.readText("/sys/devices/system/node/node\(id)/numastat")) ?? ""
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                guard words.count == 2, let value = Int(words[1]) else { continue }
                switch words[0] {
                case "numa_hit": counters.numaHit = value
                case "numa_miss": counters.numaMiss = value
                case "numa_foreign": counters.numaForeign = value
                case "interleave_hit": counters.interleaveHit = value
                case "local_node": counters.localNode = value
                case "other_node": counters.otherNode = value
                default: break
                }
            }
            events[id] = counters
        }
        return events
    }
}
