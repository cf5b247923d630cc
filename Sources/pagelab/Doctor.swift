import ArgumentParser
import PageCore
import PageLabLua

struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What this host can measure, and what will have to be simulated.")

    func run() throws {
        let host = HostInfo.current()
        print("host: Linux \(host.kernel), \(host.cpus) CPUs, \(ByteSize.format(host.memTotal)) RAM (\(ByteSize.format(host.memAvailable)) available)")
        print("pages: base \(ByteSize.format(host.pageSize)), THP \(host.thpMode) (\(ByteSize.format(host.thpPageSize))), default huge \(ByteSize.format(host.defaultHugePageSize))")
        let pools = host.hugePageSizes.map { size in
            let pool = host.hugetlbPools[size] ?? (total: 0, free: 0)
            return "\(ByteSize.format(size)): \(pool.total) pages, \(pool.free) free"
        }
        print("hugetlb pools: \(pools.isEmpty ? "none" : pools.joined(separator: "; "))\(host.hugetlbPools.values.allSatisfy { $0.total == 0 } ? " (hugetlb pages will be simulated)" : "")")
        print("numa: \(host.numaNodes.count) node\(host.numaNodes.count == 1 ? "" : "s") (\(host.numaNodes.map(String.init).joined(separator: ", ")))")
        print("budget: \(ByteSize.format(CommitBudget.standard().limit)) may be made resident by default (--budget to change)")
        print()
        let rows = host.capabilities.map { [$0.name, $0.available ? "measured" : "simulated", $0.detail] }
        print(TextTable.render(header: ["capability", "here", "detail"], rows: rows))
        print()
        print(ModelSummary.text(.likeHost()))
    }
}
