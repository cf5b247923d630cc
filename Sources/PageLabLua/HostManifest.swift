import PageCore

/// What a result must say about the machine it was measured on (peers.md: a gem5-style manifest
/// of host facts and effective parameters in every result).
public enum HostManifest {
    public static let pagelabVersion = "0.1.0"

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
