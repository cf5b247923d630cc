import Glibc

/// A reserved range of this process's address space, and PageLab's bookkeeping of what was done
/// to it. Operations take page-aligned offsets and lengths relative to `base` and follow HotSpot
/// (os_linux.cpp): commit maps accessible memory over the reservation, uncommit maps the
/// reservation back, touch faults pages in.
public final class Region {
    public let name: String
    public let base: UInt
    public let size: Int
    public private(set) var isClosed = false
    /// Commits are readable, writable and executable.
    let executable: Bool
    /// hugetlb page size of a region backed by a hugetlb pool (`ReserveOptions.hugePageSize`);
    /// nil for ordinary memory.
    public let hugePageSize: Int?
    /// The space whose budget this region draws on; nil once closed.
    weak var space: AddressSpace?
    /// What carries out the region's memory operations.
    let backend: MemoryBackend

    /// Committed ranges and their protection: a range is committed if and only if it is here.
    var protections = RangeMap<Protection>()
    /// Ranges with MADV_HUGEPAGE or MADV_NOHUGEPAGE in effect (a commit or uncommit maps new
    /// memory, which has neither).
    var hugePageAdvice = RangeMap<HugePageAdvice>()
    /// Ranges locked with mlock(2).
    var locked = RangeSet()
    /// Ranges that may hold resident pages: charged to the commit budget.
    var charged = RangeSet()
    /// Ranges with a NUMA memory policy of their own (`bind`); elsewhere the thread's applies.
    var policies = RangeMap<MemoryPolicy>()
    /// Committed ranges that map shared memory (`mapView`) rather than private memory.
    var views = RangeMap<SharedView>()

    init(name: String, base: UInt, size: Int, executable: Bool, hugePageSize: Int?, space: AddressSpace) {
        self.name = name
        self.base = base
        self.size = size
        self.executable = executable
        self.hugePageSize = hugePageSize
        self.space = space
        self.backend = space.backend
    }

    /// Where the region's figures come from: measured on the host, or simulated by the model.
    public var source: FigureSource { backend.source }

    /// Unmaps the whole reservation, releasing its budget charges, and removes the region from its
    /// space. Idempotent.
    public func close() {
        guard !isClosed else { return }
        backend.release(self)
        isClosed = true
        protections.removeAll()
        hugePageAdvice.removeAll()
        locked.removeAll()
        charged.removeAll()
        policies.removeAll()
        dropViews(0..<size)
        space?.remove(self)
        space = nil
    }

    // MARK: Addresses and validation

    var pageSize: Int { Host.pageSize }

    func address(_ offset: Int) -> UInt {
        base + UInt(offset)
    }

    /// "0x1000+0x2000": a range as messages show it.
    func describe(_ span: Range<Int>) -> String {
        "\(hex(span.lowerBound))+\(hex(span.count))"
    }

    /// The byte range an operation addresses, after checking that the region is open and the
    /// range is page-aligned, not empty, and inside the region.
    func span(offset: Int, length: Int) throws(PageError) -> Range<Int> {
        try checkOffset(offset)
        guard length > 0 else { throw .invalid("length", "length \(length) is not positive") }
        guard length % pageSize == 0 else {
            throw .invalid("length", "length \(length) is not a multiple of the page size \(pageSize)")
        }
        let (end, overflow) = offset.addingReportingOverflow(length)
        guard !overflow, end <= size else {
            throw .invalid("length", "range \(hex(offset))+\(hex(length)) is outside region '\(name)' (size \(hex(size)))")
        }
        return offset..<end
    }

    /// `span(offset:length:)` where a missing offset means 0 and a missing length the rest of the
    /// region.
    func span(offset: Int?, length: Int?) throws(PageError) -> Range<Int> {
        let start = offset ?? 0
        try checkOffset(start)
        return try span(offset: start, length: length ?? size - start)
    }

    private func checkOffset(_ offset: Int) throws(PageError) {
        guard !isClosed else { throw PageError(.closed, "attempt to use a closed region '\(name)'") }
        guard offset >= 0 else { throw .invalid("offset", "offset \(offset) is negative") }
        guard offset % pageSize == 0 else {
            throw .invalid("offset", "offset \(offset) is not a multiple of the page size \(pageSize)")
        }
        guard offset < size else {
            throw .invalid("offset", "offset \(hex(offset)) is outside region '\(name)' (size \(hex(size)))")
        }
    }

    /// Throws unless all of `span` is committed: protecting, populating or locking reserved
    /// memory would either fail in the kernel (EINVAL from MADV_POPULATE_*) or be lost at the
    /// next commit, which maps new memory over it. Reported as the EINVAL the kernel gives.
    /// "SIGSEGV at region 'heap' offset 0x200000 (address 0x7f...): protection none, reserved but
    /// not committed".
    func faultError(at offset: Int, signal: String, address: UInt) -> PageError {
        let state = protections.value(at: offset).map { "protection \($0.rawValue), committed" }
            ?? "protection none, reserved but not committed"
        return PageError(.fault, "\(signal) at region '\(name)' offset \(hex(offset)) (address \(hex(address))): \(state)")
    }

    /// Throws unless `span` starts and ends on huge page boundaries of a hugetlb region: the
    /// kernel refuses anything finer there (EINVAL).
    func requireHugePageAligned(_ span: Range<Int>, _ operation: String) throws(PageError) {
        guard let hugePageSize else { return }
        for (parameter, value) in [("offset", span.lowerBound), ("length", span.count)] where value % hugePageSize != 0 {
            throw .invalid(parameter, "cannot \(operation) hugetlb region '\(name)': \(parameter) \(hex(value)) "
                + "is not a multiple of its page size \(ByteSize.format(hugePageSize))")
        }
    }

    func requireCommitted(_ span: Range<Int>, _ operation: String) throws(PageError) {
        guard let gap = protections.gaps(in: span).first else { return }
        throw PageError(.system(errno: EINVAL),
                        "cannot \(operation) region '\(name)' range \(describe(span)): \(describe(gap)) is not committed")
    }

    /// Runs one memory operation under the backend's measurement, then tells the space's
    /// observer (also after a failure: a failed touch may have faulted pages in).
    func perform(_ operation: String, _ body: () throws(PageError) -> Void) throws(PageError) -> OpResult {
        defer { space?.observer?(self, operation) }
        return try backend.measure(body)
    }

    // MARK: Long operations

    /// Longest piece of a long kernel call: 32 MiB. MADV_POPULATE_*, MADV_COLLAPSE and mlock run
    /// to the end despite SIGINT, and 32 MiB take a few tens of milliseconds even on memory the
    /// host must back first (linux-kernel.md §0, §7), so Ctrl-C acts within 100 ms.
    static let pieceSize = 32 << 20

    /// Runs `body` over `span` in pieces cut at address multiples of `pieceSize` (keeping huge
    /// page alignment), throwing `.interrupted` before a piece if an interrupt is pending.
    func forEachPiece(of span: Range<Int>, _ body: (Range<Int>) throws(PageError) -> Void) throws(PageError) {
        var lower = span.lowerBound
        while lower < span.upperBound {
            if Interrupt.isPending { throw .interrupted }
            let boundary = (address(lower) / UInt(Self.pieceSize) + 1) * UInt(Self.pieceSize)
            let upper = min(span.upperBound, Int(boundary - base))
            try body(lower..<upper)
            lower = upper
        }
    }
}

/// Transparent huge page advice in effect on a range.
enum HugePageAdvice {
    case hugepage, nohugepage
}
