import Glibc

/// A memory file that regions map as views (`Region.mapView`): what ZGC's heap is on Linux
/// (zPhysicalMemoryBacking_linux.cpp) — `memfd_create` and `ftruncate` to the maximum heap,
/// `fallocate` to commit, `FALLOC_FL_PUNCH_HOLE` to uncommit, and `mmap(MAP_SHARED | MAP_FIXED)`
/// into each view. Memory is allocated once, by `commit`, and charged once to the commit budget
/// whatever the number of views; each view that touches a page maps it again, so RSS counts the
/// page once per view while the file, Shmem and PSS count it once.
///
/// Lifetime follows the kernel's: `close()` closes the descriptor, and the pages live on while a
/// view maps them; they are freed (and uncharged) when the last view goes. Closing never fails,
/// so handles may be closed in any order, as Lua's collector does.
public final class SharedMemory {
    public let name: String
    public let size: Int
    /// Whether `close()` was called: no more commits, uncommits or new views.
    public private(set) var isClosed = false
    /// Whether the pages are gone: closed and mapped by no view.
    public private(set) var isReleased = false
    let file: MemoryFile
    /// The space whose budget the memory draws on; nil once released.
    weak var space: AddressSpace?
    /// The file's allocated ranges (what `commit` fallocated): charged to the budget while the
    /// memory lives, and the only ranges a view may touch.
    var allocated = RangeSet()

    init(name: String, size: Int, file: MemoryFile, space: AddressSpace) {
        self.name = name
        self.size = size
        self.file = file
        self.space = space
    }

    /// Where the memory's figures come from.
    public var source: FigureSource { space?.source ?? .measured }

    /// Bytes committed (fallocated) and not punched out again, from PageLab's bookkeeping.
    public var committedBytes: Int { allocated.count }

    /// Bytes the file holds as the kernel counts them (fstat's st_blocks on the host, the
    /// simulated file's pages on the model); the descriptor must be open.
    public func allocatedBytes() throws(PageError) -> Int {
        guard !isClosed else { throw closedError("read the allocation of") }
        return try file.allocatedBytes()
    }

    /// Allocates the range's pages (`fallocate(2)`), as ZGC commits heap memory: the memory
    /// exists from now on, mapped by no view until touched there. Charged to the commit budget,
    /// once; committing twice allocates nothing more. Done in 32 MiB pieces so Ctrl-C stops it.
    @discardableResult
    public func commit(offset: Int, length: Int) throws(PageError) -> OpResult {
        let span = try span("commit", offset: offset, length: length)
        guard let space else { throw closedError("commit") }
        let missing = allocated.gaps(in: span)
        let charge = missing.reduce(0) { $0 + $1.count }
        if space.backend.enforcesBudget, charge > 0 {
            try space.checkBudget(charge: charge, operation: "commit of \(ByteSize.format(length)) in shared memory '\(name)'")
        }
        return try space.backend.measure { () throws(PageError) in
            for gap in missing {
                var lower = gap.lowerBound
                while lower < gap.upperBound {
                    if Interrupt.isPending { throw .interrupted }
                    let upper = min(gap.upperBound, lower + Region.pieceSize)
                    try file.allocate(lower..<upper)
                    allocated.insert(lower..<upper)
                    lower = upper
                }
            }
        }
    }

    /// Frees the range's pages (`fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)`), as ZGC
    /// uncommits: the kernel first unmaps them from every view, so no view keeps them resident.
    @discardableResult
    public func uncommit(offset: Int, length: Int) throws(PageError) -> OpResult {
        let span = try span("uncommit", offset: offset, length: length)
        guard let space else { throw closedError("uncommit") }
        return try space.backend.measure { () throws(PageError) in
            try file.punchHole(span, views: views(overlapping: span))
            allocated.remove(span)
        }
    }

    /// Closes the descriptor. The pages stay while views map them (as the kernel keeps a file
    /// alive for its mappings) and are freed with the last one. Idempotent.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        file.close()
        releaseIfUnmapped()
    }

    /// Frees the pages once the memory is closed and no view maps it: called by `close` and by
    /// regions that stop mapping it.
    func releaseIfUnmapped() {
        guard isClosed, !isReleased, views(overlapping: 0..<size).isEmpty else { return }
        file.release()
        isReleased = true
        allocated.removeAll()
        space?.remove(self)
        space = nil
    }

    /// The regions' spans that map part of `fileSpan`, translated to each region's offsets.
    func views(overlapping fileSpan: Range<Int>) -> [(region: Region, span: Range<Int>)] {
        var found: [(region: Region, span: Range<Int>)] = []
        for region in space?.regions ?? [] {
            for segment in region.views.segments where segment.value.memory === self {
                let mapped = segment.range.lowerBound + segment.value.delta..<segment.range.upperBound + segment.value.delta
                let overlap = mapped.clamped(to: fileSpan)
                if !overlap.isEmpty { found.append((region, overlap.lowerBound - segment.value.delta..<overlap.upperBound - segment.value.delta)) }
            }
        }
        return found
    }

    /// The byte range an operation addresses, after checking that the memory is open and the
    /// range page-aligned, not empty and inside the file.
    func span(_ operation: String, offset: Int, length: Int) throws(PageError) -> Range<Int> {
        guard !isClosed else { throw closedError(operation) }
        let pageSize = Host.pageSize
        guard offset >= 0, offset % pageSize == 0 else {
            throw .invalid("offset", "offset \(offset) is \(offset < 0 ? "negative" : "not a multiple of the page size \(pageSize)")")
        }
        guard length > 0, length % pageSize == 0 else {
            throw .invalid("length", "length \(length) is \(length <= 0 ? "not positive" : "not a multiple of the page size \(pageSize)")")
        }
        let (end, overflow) = offset.addingReportingOverflow(length)
        guard !overflow, end <= size else {
            throw .invalid("length", "range \(hex(offset))+\(hex(length)) is outside shared memory '\(name)' (size \(hex(size)))")
        }
        return offset..<end
    }

    private func closedError(_ operation: String) -> PageError {
        PageError(.closed, "cannot \(operation) shared memory '\(name)': it is closed")
    }
}
