import PageCore

/// What a result must say about the machine it was measured on (peers.md: a gem5-style manifest
/// of host facts and effective parameters in every result).
public enum HostManifest {
    public static let pagelabVersion = "0.1.0"

    /// The machine a space runs on: this host, or the model's simulated machine in the same shape
    /// (with `simulated` true).
    public static func json(of space: AddressSpace) -> JSON {
        guard let machine = space.machine else { return json(HostInfo.current()) }
        let memory = machine.topology.nodes.reduce(0) { $0 + $1.memory }
        let usage = space.nodeUsage() ?? [:]
        let free = usage.values.reduce(0) { $0 + $1.capacity - $1.used }
        return .object([
            ("kernel", .string("simulated")),
            ("simulated", .bool(true)),
            ("page_size", .int(HostInfo.pageSize)),
            ("huge_page_sizes", .array(SimulatedMachine.hugePageSizes.map(JSON.int))),
            ("default_huge_page_size", .int(2 << 20)),
            ("thp_mode", .string(machine.thpMode)),
            ("thp_page_size", .int(2 << 20)),
            ("hugetlb_pools", .object(SimulatedMachine.hugePageSizes.map { size in
                let free = usage.values.reduce(0) { $0 + ($1.hugetlbFree[size] ?? 0) }
                return (String(size), .object([("total", .int(machine.hugetlbPages[size] ?? 0)), ("free", .int(free))]))
            })),
            ("numa_nodes", .array(machine.topology.nodeIDs.map(JSON.int))),
            ("cpus", .int(machine.topology.nodes.reduce(0) { $0 + $1.cpus.count })),
            ("mem_total", .int(memory)),
            ("mem_available", .int(free)),
            ("page_table_levels", .int(machine.pageTableLevels)),
        ])
    }

    public static func json(_ host: HostInfo) -> JSON {
        .object([
            ("kernel", .string(host.kernel)),
            ("page_size", .int(host.pageSize)),
            ("huge_page_sizes", .array(host.hugePageSizes.map(JSON.int))),
            ("default_huge_page_size", .int(host.defaultHugePageSize)),
            ("thp_mode", .string(host.thpMode)),
            ("thp_page_size", .int(host.thpPageSize)),
            ("hugetlb_pools", .object(host.hugetlbPools.sorted { $0.key < $1.key }.map { size, pool in
                (String(size), .object([("total", .int(pool.total)), ("free", .int(pool.free))]))
            })),
            ("numa_nodes", .array(host.numaNodes.map(JSON.int))),
            ("cpus", .int(host.cpus)),
            ("mem_total", .int(host.memTotal)),
            ("mem_available", .int(host.memAvailable)),
        ])
    }
}
