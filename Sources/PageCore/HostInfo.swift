/// What this host offers, for `pagelab doctor` and reports: sizes in bytes, read afresh.
public struct HostInfo: Sendable {
    public var pageSize: Int
    /// hugetlb page sizes (/sys/kernel/mm/hugepages), ascending.
    public var hugePageSizes: [Int]
    /// /proc/meminfo Hugepagesize.
    public var defaultHugePageSize: Int
    /// Transparent huge pages: "always", "madvise", "never", or "unsupported".
    public var thpMode: String
    /// Size of a PMD-mapped transparent huge page (hpage_pmd_size); 0 without THP.
    public var thpPageSize: Int
    /// hugetlb pools by page size: pages in the pool and free pages (counts, not bytes).
    public var hugetlbPools: [Int: (total: Int, free: Int)]
    public var memTotal: Int
    public var memAvailable: Int
    /// Online NUMA nodes.
    public var numaNodes: [Int]
    /// The kernel release, `uname -r`.
    public var kernel: String
    /// Online CPUs.
    public var cpus: Int

    /// pagemap shows physical frame numbers.
    public var pagemapPFNs: Capability
    /// The PAGEMAP_SCAN ioctl works (fast statistics).
    public var pagemapScan: Capability
    /// /proc/kpageflags can be read (zero page and THP flags).
    public var kpageflags: Capability
    public var membarrier: Capability
    public var userfaultfd: Capability
    /// A hardware instruction counter can be opened (rare in VMs).
    public var hardwareCounters: Capability

    /// The capabilities above, in that order, for listing.
    public var capabilities: [Capability] {
        [pagemapPFNs, pagemapScan, kpageflags, membarrier, userfaultfd, hardwareCounters]
    }

    /// The base page size, the same on every call (what `current().pageSize` says).
    public static var pageSize: Int { Host.pageSize }

    public static func current() -> HostInfo {
        let memory = HostMemory.current()
        let pagemap = Probe.pagemap()
        return HostInfo(
            pageSize: memory.pageSize, hugePageSizes: memory.hugetlbPools.keys.sorted(), defaultHugePageSize: memory.defaultHugePageSize,
            thpMode: memory.thpMode, thpPageSize: memory.thpPageSize, hugetlbPools: memory.hugetlbPools,
            memTotal: memory.memTotal, memAvailable: memory.memAvailable, numaNodes: memory.numaNodes,
            kernel: Kernel.kernelRelease(), cpus: memory.cpus,
            pagemapPFNs: pagemap.pfns, pagemapScan: Probe.pagemapScan(), kpageflags: pagemap.kpageflags,
            membarrier: Probe.membarrier(), userfaultfd: Probe.userfaultfd(), hardwareCounters: Probe.hardwareCounters())
    }
}
