/// Facts about this machine, read from the kernel. PageCore's operations use the cached values,
/// read once; `HostInfo.current()` reads them afresh.
enum Host {
    static let pageSize = Kernel.pageSize()
    static let thpMode = readTHPMode()
    static let thpPageSize = readTHPPageSize()
    static let numaNodes = readNUMANodes()

    /// /sys/kernel/mm/transparent_hugepage/enabled: "always", "madvise" or "never";
    /// "unsupported" without THP support.
    static func readTHPMode() -> String {
        (try? Kernel.readText("/sys/kernel/mm/transparent_hugepage/enabled")).flatMap(KernelText.selectedChoice) ?? "unsupported"
    }

    /// /sys/kernel/mm/transparent_hugepage/hpage_pmd_size in bytes; 0 without THP support.
    static func readTHPPageSize() -> Int {
        (try? Kernel.readText("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")).flatMap { Int($0.filter(\.isNumber)) } ?? 0
    }

    /// /sys/devices/system/node/online; [0] on kernels without NUMA support.
    static func readNUMANodes() -> [Int] {
        (try? Kernel.readText("/sys/devices/system/node/online")).flatMap(KernelText.numberList).flatMap { $0.isEmpty ? nil : $0 } ?? [0]
    }

    /// hugetlb pools from /sys/kernel/mm/hugepages/hugepages-<size>kB, by page size in bytes:
    /// pages in the pool (`nr_hugepages`) and free ones (`free_hugepages`).
    static func readHugetlbPools() -> [Int: (total: Int, free: Int)] {
        let directory = "/sys/kernel/mm/hugepages"
        var pools: [Int: (total: Int, free: Int)] = [:]
        for name in (try? Kernel.directoryEntries(directory)) ?? [] where name.hasPrefix("hugepages-") && name.hasSuffix("kB") {
            guard let kibibytes = Int(name.dropFirst("hugepages-".count).dropLast(2)) else { continue }
            func count(_ file: String) -> Int {
                (try? Kernel.readText("\(directory)/\(name)/\(file)")).flatMap { Int($0.filter(\.isNumber)) } ?? 0
            }
            pools[kibibytes * 1024] = (count("nr_hugepages"), count("free_hugepages"))
        }
        return pools
    }
}
