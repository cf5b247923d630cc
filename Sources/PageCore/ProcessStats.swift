/// Memory figures of this whole process, in bytes: from /proc/self/status (counters the kernel
/// keeps, about 5 µs to read) and `getrusage(RUSAGE_SELF)`.
public struct ProcessStats: Sendable, Equatable {
    /// VmRSS: resident private and file memory (not the zero page, not hugetlb).
    public var rss: Int
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

    public static func current() -> ProcessStats {
        let fields = (try? Kernel.readText("/proc/self/status")).map(KernelText.fields) ?? [:]
        let faults = Kernel.pageFaults()
        return ProcessStats(rss: fields["VmRSS"] ?? 0, vmSize: fields["VmSize"] ?? 0, vmPTE: fields["VmPTE"] ?? 0,
                            vmSwap: fields["VmSwap"] ?? 0, hugetlb: fields["HugetlbPages"] ?? 0,
                            minflt: faults.minor, majflt: faults.major)
    }
}
