import Glibc

/// Shared memory on the model: memory files, their views, and the faults that map a file's
/// pages into a view — shmem_fault finds the page fallocate put in the page cache and maps it,
/// allocating and clearing nothing; shmem takes no THP (shmem_enabled "never", the default) and a
/// read maps the file's page, not the zero page.
extension ModelBackend {
    func createFile(name: String, size: Int) throws(PageError) -> MemoryFile {
        ModelMemoryFile(name: name, backend: self)
    }

    /// The range was reserved, so no page table entry needs replacing.
    func mapView(_ region: Region, _ span: Range<Int>, of file: MemoryFile, at fileOffset: Int,
                 _ protection: Protection) throws(PageError) {}

    /// Faults the views inside `span` in, and the rest of `span` as private memory; false, doing
    /// nothing, when no view overlaps `span`.
    func faultViews(_ region: Region, _ span: Range<Int>, write: Bool, cpu: Int, cost: UInt64) throws(PageError) -> Bool {
        let views = region.views.segments(overlapping: span)
        guard !views.isEmpty else { return false }
        var lower = span.lowerBound
        for view in views {
            let part = view.range.clamped(to: span)
            if lower < part.lowerBound { try fault(region, lower..<part.lowerBound, write: write, cpu: cpu, cost: cost) }
            try faultView(region, part, view.value, cpu: cpu, cost: cost)
            lower = part.upperBound
        }
        if lower < span.upperBound { try fault(region, lower..<span.upperBound, write: write, cpu: cpu, cost: cost) }
        return true
    }

    /// Maps the file's pages into `span`, all of it inside one view: shared entries on the nodes
    /// the file's pages are on, counted and timed as faults.
    func faultView(_ region: Region, _ span: Range<Int>, _ view: SharedView, cpu: Int, cost: UInt64) throws(PageError) {
        let file = view.memory.file as! ModelMemoryFile
        let perPage = cost == FaultCost.basePopulate ? FaultCost.sharedPopulate : FaultCost.sharedFault
        let fileSpan = span.lowerBound + view.delta..<span.upperBound + view.delta
        for segment in file.nodes.segments(overlapping: fileSpan) {
            let part = segment.range.clamped(to: fileSpan)
            let range = region.address(part.lowerBound - view.delta)..<region.address(part.upperBound - view.delta)
            let entry = PTE.shared(segment.value)
            var mapped = 0
            try PageTables.forEachGiB(range) { key, gib throws(PageError) in
                if Interrupt.isPending { throw .interrupted }
                guard let table = tables.pmdTable(key) else { return }
                try? PageTables.forEachBlock(gib) { index, block in mapped += map(entry, table, index, block) }
            }
            charge(faults: mapped, cost: FaultCost.scaled(perPage, distance: distance(cpu, segment.value)) * UInt64(mapped))
        }
    }

    /// Puts `entry` in every empty PTE of `block`; returns how many it filled.
    private func map(_ entry: PTE, _ table: PMDTable, _ index: Int, _ block: Range<UInt>) -> Int {
        if block.count == Self.thpSize {
            switch table.entries[index] {
            case .none, .ptes(.none):
                table.entries[index] = .ptes(entry)
                return PageTables.entries
            case .ptes(let current) where current == entry:
                return 0
            default:
                break
            }
        }
        guard let page = tables.ptePage(table, index, at: block.lowerBound) else { return 0 }
        var filled = 0
        var address = block.lowerBound
        while address < block.upperBound {
            let slot = page.entries + PageTables.pteIndex(address)
            if slot.pointee == .none {
                slot.pointee = entry
                filled += 1
            }
            address += UInt(Self.pageSize)
        }
        return filled
    }

    /// Throws the EINVAL the kernel gives for advice that works on private memory only
    /// (MADV_FREE), or that the model does not simulate on shared memory (MADV_COLLAPSE).
    func refuseOnViews(_ region: Region, _ span: Range<Int>, _ advice: Advice) throws(PageError) {
        guard let view = region.views.segments(overlapping: span).first else { return }
        throw PageError(.system(errno: EINVAL), "cannot advise \(advice.rawValue) on region '\(region.name)' range "
            + "\(region.describe(span)): madvise: \(String(cString: strerror(EINVAL))) "
            + "(\(region.describe(view.range.clamped(to: span))) maps shared memory '\(view.value.memory.name)')")
    }

    /// Bytes of shared memory files mapped at least once by `regions`' views: what PSS counts of
    /// them, each page divided among the views that map it.
    func sharedBytesMapped(_ regions: [Region]) -> Int {
        var mapped: [ObjectIdentifier: RangeSet] = [:]
        for region in regions {
            for view in region.views.segments {
                let range = region.address(view.range.lowerBound)..<region.address(view.range.upperBound)
                try? tables.forEachRun(range) { run in
                    guard run.isOnNode else { return }
                    let lower = Int(run.addresses.lowerBound - region.base) + view.value.delta
                    mapped[ObjectIdentifier(view.value.memory), default: RangeSet()].insert(lower..<lower + run.addresses.count)
                }
            }
        }
        return mapped.values.reduce(0) { $0 + $1.count }
    }
}
