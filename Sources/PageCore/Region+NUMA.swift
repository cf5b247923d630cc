extension Region {
    /// Sets the NUMA memory policy of the range (mbind(2)); with `move` (MPOL_MF_MOVE) pages
    /// already there that the policy would put elsewhere are migrated. A later commit or uncommit
    /// of the range maps new memory, which has no policy of its own: bind after committing, as
    /// HotSpot's -XX:+UseNUMA does.
    @discardableResult
    public func bind(offset: Int, length: Int, policy: MemoryPolicy, move: Bool = false) throws(PageError) -> OpResult {
        let span = try span(offset: offset, length: length)
        try requireHugePageAligned(span, "bind")
        try policy.validate(on: backend.topology)
        return try perform("bind") { () throws(PageError) in
            try backend.bind(self, span, policy, move: move)
            if policy.mode == .default { policies.remove(span) } else { policies.assign(policy, to: span) }
        }
    }

    /// The policy of each part of the range that has one of its own, in order.
    public func policies(offset: Int? = nil, length: Int? = nil) throws(PageError) -> [(range: Range<Int>, policy: MemoryPolicy)] {
        let span = try span(offset: offset, length: length)
        return policies.segments(overlapping: span).map { ($0.range, $0.value) }
    }

    /// Where each base page of the range is, as move_pages(2) reports it: a node number, or
    /// -ENOENT (-2) for a page not present, -EFAULT (-14) for the zero page.
    public func pageNodes(offset: Int? = nil, length: Int? = nil) throws(PageError) -> [Int] {
        let span = try span(offset: offset, length: length)
        return try backend.pageNodes(self, span)
    }

    /// Moves the resident pages of the range to `node` (move_pages(2)); pages that do not fit
    /// stay. Returns how many base pages moved, and what it cost.
    @discardableResult
    public func migrate(offset: Int, length: Int, to node: Int) throws(PageError) -> (moved: Int, result: OpResult) {
        let span = try span(offset: offset, length: length)
        try backend.topology.requireNode(node, parameter: "node")
        var moved = 0
        let result = try perform("migrate") { () throws(PageError) in moved = try backend.migrate(self, span, to: node) }
        return (moved, result)
    }
}

extension AddressSpace {
    /// The NUMA topology: the host's (sysfs) or the simulated machine's.
    public var topology: NUMATopology { backend.topology }

    /// Sets the calling thread's memory policy (set_mempolicy(2)); touch workers inherit it.
    public func setThreadPolicy(_ policy: MemoryPolicy) throws(PageError) {
        try policy.validate(on: backend.topology)
        try backend.setThreadPolicy(policy)
    }

    public func threadPolicy() throws(PageError) -> MemoryPolicy {
        try backend.threadPolicy()
    }

    /// numastat's allocation counters per node: the simulated process's on the model, the whole
    /// system's (/sys/devices/system/node/node*/numastat) on the host.
    public func numaEvents() -> [Int: NUMAEvents] {
        (backend as? ModelBackend)?.numaEvents ?? HostBackend.systemNUMAEvents(topology)
    }

    /// Memory per node on the model; nil on the host, whose per-node use is the whole system's.
    public func nodeUsage() -> [Int: NodeUsage]? {
        (backend as? ModelBackend)?.nodeUsage
    }

    /// The simulated machine, on the model.
    public var machine: SimulatedMachine? {
        (backend as? ModelBackend)?.machine
    }
}

extension Region {
    /// The topology of the machine the region lives on.
    public func topology() throws(PageError) -> NUMATopology {
        _ = try span(offset: nil, length: nil)  // only to refuse a closed region
        return backend.topology
    }
}
