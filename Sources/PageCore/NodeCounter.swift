/// Resident bytes per NUMA node, found with move_pages(2) in query mode, in batches. Only needed
/// when the host has more than one online node: with one, every resident page is on it, and
/// asking costs 63 ns per page (linux-kernel.md §4).
struct NodeCounter {
    private(set) var bytes: [Int: Int] = [:]
    private var pages: [UnsafeMutableRawPointer?] = []
    private var status: [Int32] = []
    private static let batch = 4096

    init() {
        pages.reserveCapacity(Self.batch)
    }

    /// Queues the pages of `addresses` (resident ones) for counting.
    mutating func add(_ addresses: Range<UInt>) throws(PageError) {
        for address in stride(from: addresses.lowerBound, to: addresses.upperBound, by: Host.pageSize) {
            pages.append(UnsafeMutableRawPointer(bitPattern: address))
            if pages.count == Self.batch { try flush() }
        }
    }

    /// Counts the queued pages. Pages that vanished meanwhile (negative status) are skipped.
    mutating func flush() throws(PageError) {
        guard !pages.isEmpty else { return }
        status = [Int32](repeating: 0, count: pages.count)
        let count = pages.count
        do throws(Errno) {
            try pages.withUnsafeMutableBufferPointer { pages throws(Errno) in
                try status.withUnsafeMutableBufferPointer { status throws(Errno) in
                    try Kernel.queryNodes(of: pages.baseAddress!, count: count, into: status.baseAddress!)
                }
            }
        } catch {
            throw .system(error, "cannot query the NUMA nodes of \(count) pages: move_pages")
        }
        for node in status where node >= 0 {
            bytes[Int(node), default: 0] += Host.pageSize
        }
        pages.removeAll(keepingCapacity: true)
    }
}
