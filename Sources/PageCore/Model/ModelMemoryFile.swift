import Glibc

/// A simulated memory file (memfd): its pages come from the machine's nodes at fallocate and
/// go back at a punched hole or the file's end, whatever the views that map them did; views map
/// them with shared page-table entries (`PTE.shared`) that never own the page.
final class ModelMemoryFile: MemoryFile {
    let name: String
    unowned let backend: ModelBackend
    /// The node position of each allocated range of the file.
    private(set) var nodes = RangeMap<Int>()

    init(name: String, backend: ModelBackend) {
        self.name = name
        self.backend = backend
    }

    func allocate(_ span: Range<Int>) throws(PageError) {
        for gap in nodes.gaps(in: span) {
            let pages = gap.count / ModelBackend.pageSize
            guard let placed = backend.memory.allocateSpread(pages, cpu: backend.mainCPU) else {
                throw PageError(.system(errno: ENOMEM), "cannot commit shared memory '\(name)' range \(hex(gap.lowerBound))+\(hex(gap.count)): "
                    + "fallocate: \(String(cString: strerror(ENOMEM))) (simulated memory: \(backend.memory.usageText()))")
            }
            var lower = gap.lowerBound
            for (node, count) in placed {
                nodes.assign(node, to: lower..<lower + count * ModelBackend.pageSize)
                lower += count * ModelBackend.pageSize
            }
            backend.charge(faults: 0, cost: FaultCost.shmemAllocate * UInt64(pages))
        }
    }

    func punchHole(_ span: Range<Int>, views: [(region: Region, span: Range<Int>)]) throws(PageError) {
        for view in views { backend.zap(view.region, view.span, freeTables: false) }
        free(span)
        backend.charge(faults: 0, cost: FaultCost.shmemPunch * UInt64(span.count / ModelBackend.pageSize))
    }

    func allocatedBytes() throws(PageError) -> Int { nodes.count }

    func close() {}

    func release() { free(0..<Int.max) }

    /// Gives the allocated pages of `span` back to their nodes.
    private func free(_ span: Range<Int>) {
        for segment in nodes.segments(overlapping: span) {
            backend.memory.release(segment.range.clamped(to: span).count / ModelBackend.pageSize, on: segment.value)
        }
        nodes.remove(span)
    }
}
