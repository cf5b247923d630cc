import ArgumentParser
import PageCore
import PageLabLua

struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What this host can measure, and what will have to be simulated.")

    func run() throws {
        let host = HostInfo.current()
        print("host: Linux \(host.kernel), \(host.cpus) CPUs, \(ByteSize.format(host.memTotal)) RAM (\(ByteSize.format(host.memAvailable)) available)")
        print("pages: base \(ByteSize.format(host.pageSize)), THP \(host.thpMode) (\(ByteSize.format(host.thpPageSize))), hugetlb sizes \(host.hugePageSizes.map(ByteSize.format).joined(separator: ", "))")
        print("numa: \(host.numaNodes.count) node\(host.numaNodes.count == 1 ? "" : "s") (\(host.numaNodes.map(String.init).joined(separator: ", ")))")
        print("budget: \(ByteSize.format(CommitBudget.standard().limit)) may be made resident by default (--budget to change)")
        print()
        let rows = host.capabilities.map { [$0.name, $0.available ? "measured" : "simulated", $0.detail] }
        print(TextTable.render(header: ["capability", "here", "detail"], rows: rows))
    }
}
