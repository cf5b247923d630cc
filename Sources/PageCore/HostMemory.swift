/// The memory facts of this host that a program's ergonomics read at startup (a JVM's, for
/// instance), without `HostInfo`'s capability probes, which map pages and open files: cheap
/// enough to read on every start.
public struct HostMemory: Sendable {
    public var memTotal: Int
    public var memAvailable: Int
    public var cpus: Int
    public var pageSize: Int
    /// "always", "madvise" or "never".
    public var thpMode: String
    public var thpPageSize: Int
    /// `Hugepagesize:` of /proc/meminfo.
    public var defaultHugePageSize: Int
    /// Total and free pages of each hugetlb pool, by page size.
    public var hugetlbPools: [Int: (total: Int, free: Int)]
    public var numaNodes: [Int]

    public static func current() -> HostMemory {
        let memory = MemInfo.current()
        return HostMemory(memTotal: memory.total, memAvailable: memory.available, cpus: Kernel.onlineProcessors(),
                          pageSize: Host.pageSize, thpMode: Host.readTHPMode(), thpPageSize: Host.readTHPPageSize(),
                          defaultHugePageSize: memory.hugePageSize, hugetlbPools: Host.readHugetlbPools(),
                          numaNodes: Host.readNUMANodes())
    }
}
