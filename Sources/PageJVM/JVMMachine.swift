import PageCore

/// The machine facts HotSpot's ergonomics read at startup: physical memory
/// (`os::physical_memory`, i.e. MemTotal), the active processor count, the page sizes the kernel
/// offers, the THP mode, the free hugetlb pages and the NUMA nodes. Read from the host by default,
/// as the JVM does; `--ram` and `--cpus` override them.
public struct JVMMachine: Sendable, Equatable {
    public var ram: Int
    public var cpus: Int
    public var pageSize: Int
    /// "always", "madvise" or "never".
    public var thpMode: String
    public var thpPageSize: Int
    /// The default hugetlb page size (`Hugepagesize:` of /proc/meminfo); 0 if none.
    public var defaultHugePageSize: Int
    /// Free pages of each hugetlb pool, by page size.
    public var freeHugePages: [Int: Int]
    public var numaNodes: Int

    public init(ram: Int, cpus: Int, pageSize: Int = 4096, thpMode: String = "madvise", thpPageSize: Int = 2 << 20,
                defaultHugePageSize: Int = 2 << 20, freeHugePages: [Int: Int] = [:], numaNodes: Int = 1) {
        self.ram = ram
        self.cpus = cpus
        self.pageSize = pageSize
        self.thpMode = thpMode
        self.thpPageSize = thpPageSize
        self.defaultHugePageSize = defaultHugePageSize
        self.freeHugePages = freeHugePages
        self.numaNodes = numaNodes
    }

    public static func host() -> JVMMachine {
        let host = HostMemory.current()
        return JVMMachine(ram: host.memTotal, cpus: host.cpus, pageSize: host.pageSize, thpMode: host.thpMode,
                          thpPageSize: host.thpPageSize, defaultHugePageSize: host.defaultHugePageSize,
                          freeHugePages: host.hugetlbPools.mapValues(\.free), numaNodes: max(1, host.numaNodes.count))
    }
}
