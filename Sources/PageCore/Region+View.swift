import Glibc

/// What a range of a region maps when it is a view of a shared memory: the memory, and the
/// distance from region offsets to file offsets (so that splitting the range keeps it right).
struct SharedView: Equatable {
    let memory: SharedMemory
    let delta: Int

    static func == (a: SharedView, b: SharedView) -> Bool {
        a.memory === b.memory && a.delta == b.delta
    }
}

extension Region {
    /// Maps `length` bytes of `memory` from `memoryOffset` over the reserved range at `offset`
    /// (`mmap(MAP_SHARED | MAP_FIXED, fd, memoryOffset)`), as ZGC maps its heap memory into each
    /// view. The range counts as committed (read-write) from then on, so touch, protect, lock
    /// and stats work on it as on any committed range, and `uncommit` maps the reservation back.
    /// A view charges nothing to the commit budget: the memory was charged when it was
    /// committed. The range must be reserved, not committed (uncommit it first).
    @discardableResult
    public func mapView(of memory: SharedMemory, memoryOffset: Int, offset: Int, length: Int) throws(PageError) -> OpResult {
        let span = try span(offset: offset, length: length)
        let fileSpan = try memory.span("map a view of", offset: memoryOffset, length: length)
        guard memory.space === space else {
            throw .invalid("memory", "shared memory '\(memory.name)' belongs to another address space than region '\(name)'")
        }
        guard hugePageSize == nil else {
            throw .invalid("memory", "cannot map shared memory '\(memory.name)' into hugetlb region '\(name)'")
        }
        if let committed = protections.segments(overlapping: span).first {
            throw PageError(.system(errno: EINVAL), "cannot map a view of shared memory '\(memory.name)' over region '\(name)' "
                + "range \(describe(span)): \(describe(committed.range.clamped(to: span))) is committed (uncommit it first)")
        }
        let protection: Protection = executable ? .rwx : .rw
        return try perform("map_view") { () throws(PageError) in
            try backend.mapView(self, span, of: memory.file, at: fileSpan.lowerBound, protection)
            protections.assign(protection, to: span)
            views.assign(SharedView(memory: memory, delta: fileSpan.lowerBound - span.lowerBound), to: span)
            hugePageAdvice.remove(span)
            policies.remove(span)
        }
    }

    /// The shared memory mapped at `offset`, and the file offset there; nil outside views.
    public func view(at offset: Int) -> (memory: SharedMemory, memoryOffset: Int)? {
        views.value(at: offset).map { ($0.memory, offset + $0.delta) }
    }

    /// Forgets the views in `span` (unmapped by an uncommit or a close), letting a closed memory
    /// that no view maps any more free its pages.
    func dropViews(_ span: Range<Int>) {
        let memories = views.segments(overlapping: span).map(\.value.memory)
        guard !memories.isEmpty else { return }
        views.remove(span)
        for memory in memories { memory.releaseIfUnmapped() }
    }

    /// Throws unless every view in `span` maps allocated memory. A touch of a view of a hole
    /// would make the kernel allocate shared memory there, behind the commit budget's back
    /// (views charge nothing; the memory's commit does), and ZGC never does it: it commits
    /// before it maps. So PageLab refuses it, naming the hole.
    func requireAllocatedViews(_ span: Range<Int>, _ operation: String) throws(PageError) {
        for segment in views.segments(overlapping: span) {
            let memory = segment.value.memory
            let part = segment.range.clamped(to: span)
            guard let hole = memory.allocated.gaps(in: part.lowerBound + segment.value.delta..<part.upperBound + segment.value.delta).first else { continue }
            throw .invalid("offset", "cannot \(operation) region '\(name)' range \(describe(span)): "
                + "\(describe(hole.lowerBound - segment.value.delta..<hole.upperBound - segment.value.delta)) maps "
                + "\(describe(hole)) of shared memory '\(memory.name)', which is not committed (commit it first)")
        }
    }
}
