/// Memory figures of this whole process, in bytes: from /proc/self/status (counters the kernel
/// keeps, about 5 µs to read), `getrusage(RUSAGE_SELF)` and, when asked, /proc/self/smaps_rollup
/// (a walk of every page table: about 24 ms per GiB resident).
public struct ProcessStats: Sendable, Equatable {
    /// VmRSS: resident private and file memory (not the zero page, not hugetlb).
    public var rss: Int
    /// RssShmem: the part of `rss` that is shared memory, counted once per mapping of a page
    /// (three views of one page count three times).
    public var rssShmem: Int = 0
    /// Pss: `rss` with each page divided among its mappings, so memory mapped by several views
    /// counts once; nil unless asked for.
    public var pss: Int?
    /// VmSize: all mappings, reservations included.
    public var vmSize: Int
    /// VmPTE: page-table memory.
    public var vmPTE: Int
    /// VmSwap: swapped-out anonymous memory.
    public var vmSwap: Int
    /// HugetlbPages: hugetlb memory mapped.
    public var hugetlb: Int
    /// Page faults so far.
    public var minflt: Int
    public var majflt: Int
    /// Measured (this process) or simulated (the model's process).
    public var source: FigureSource = .measured

    /// This process's figures now; `proportional` adds `pss`.
    public static func current(proportional: Bool = false) -> ProcessStats {
        let fields = (try? Kernel.readText("/proc/self/status")).map(KernelText.fields) ?? [:]
        let faults = Kernel.pageFaults()
        var stats = ProcessStats(rss: fields["VmRSS"] ?? 0, rssShmem: fields["RssShmem"] ?? 0, vmSize: fields["VmSize"] ?? 0,
                                 vmPTE: fields["VmPTE"] ?? 0, vmSwap: fields["VmSwap"] ?? 0, hugetlb: fields["HugetlbPages"] ?? 0,
                                 minflt: faults.minor, majflt: faults.major)
        if proportional {
            stats.pss = (try? Kernel.readText("/proc/self/smaps_rollup")).flatMap { KernelText.fields($0)["Pss"] }
        }
        return stats
    }
}
