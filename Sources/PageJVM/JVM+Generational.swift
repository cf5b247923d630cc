import PageCore

extension JVM {
    /// Parallel and Serial: one heap reservation split between the generations
    /// (`ParallelScavengeHeap::initialize`, `GenCollectedHeap::initialize`) — Parallel puts the old
    /// generation at the base and the young one at the top, Serial the other way round — each
    /// committing its initial size from its low end; then the collector's side structures
    /// (Fixtures/README.md, "ParallelGC, SerialGC, ZGC").
    func bootGenerational(_ heap: HeapReservation) throws {
        let parallel = configuration.collector == .parallel
        let youngMax = configuration.maxNewSize
        let oldMax = heap.size - youngMax
        let young = (offset: parallel ? oldMax : 0, length: configuration.newSize)
        let old = (offset: parallel ? 0 : youngMax, length: min(configuration.initialHeapSize - configuration.newSize, oldMax))
        try commitHeapMemory(heap.region, offset: heap.offset + young.offset, length: young.length)
        try commitHeapMemory(heap.region, offset: heap.offset + old.offset, length: old.length)

        // The card table: 17 adds a guard card past the end (CardTable::_guard_index), whose page
        // is committed at once.
        let card = configuration.cardSize
        let jdk17 = configuration.jdk != .v25
        let cardTable = try reserveSideTable("Card Table", size: heap.size / card + (jdk17 ? 1 : 0))
        for range in [young, old] {
            try commitCovering(cardTable, heapRange: range.offset..<(range.offset + range.length), bytesPerByte: card)
        }
        if jdk17 { try cardTable.commit(offset: cardTable.size - pageSize, length: pageSize) }

        // The old generation's block offset table (Serial; 17 keeps one extra slot) or object
        // start array (Parallel): one byte per card of the old generation.
        let extraSlot = !parallel && jdk17 ? 1 : 0
        let offsets = try reserve(parallel ? "Object Start Array" : "Block Offset Table", .gc,
                                  size: JVMConfiguration.alignUp(oldMax / card + extraSlot, pageSize))
        try offsets.commit(offset: 0, length: JVMConfiguration.alignUp(old.length / card + extraSlot, pageSize))
        guard parallel else { return }

        // Parallel's mark bitmap (17: begin and end bits, H/32; 25: H/64), its compaction
        // summary (40 bytes per 512 KiB region) and, on 17, its block table (H/512): mapped and
        // committed whole.
        var tables = [("Mark Bitmap", heap.size / (jdk17 ? 32 : 64)), ("Parallel Compact Data", heap.size / (512 << 10) * 40)]
        if jdk17 { tables.append(("Parallel Compact Block Data", heap.size / 512)) }
        for (name, size) in tables {
            let table = try reserve(name, .gc, size: JVMConfiguration.alignUp(size, pageSize))
            try table.commit(offset: 0, length: table.size)
        }
    }

    /// Commits the pages of `table` that describe `heapRange` at `bytesPerByte` heap bytes per
    /// table byte: a page shared with a neighbouring range is committed once.
    func commitCovering(_ table: Region, heapRange: Range<Int>, bytesPerByte: Int) throws {
        let start = heapRange.lowerBound / bytesPerByte / pageSize * pageSize
        let end = min(JVMConfiguration.alignUp((heapRange.upperBound + bytesPerByte - 1) / bytesPerByte, pageSize), table.size)
        if end > start { try table.commit(offset: start, length: end - start) }
    }

    /// ZGC's heap memory is one memfd, "java_heap", of the maximum heap size
    /// (zPhysicalMemoryBacking_linux.cpp): the initial capacity, in whole 2 MiB granules, is
    /// committed with fallocate, once, then mapped into every view (`ZPhysicalMemoryManager::map`)
    /// and, under AlwaysPreTouch, pretouched through every view in turn (`pretouch_view` of
    /// marked0, marked1, remapped): the memory exists once, RSS counts it once per view.
    func bootZ(_ heap: HeapReservation) throws {
        let granule = 2 << 20
        let initial = configuration.initialHeapSize / granule * granule
        let memory = try space.sharedMemory(name: "java_heap", size: configuration.maxHeapSize)
        heapMemory = memory
        if initial > 0 {
            try memory.commit(offset: 0, length: initial)
            for view in areas.filter({ $0.category == .javaHeap }).map(\.region) {
                try view.mapView(of: memory, memoryOffset: 0, offset: 0, length: initial)
                try commitHeapMemory(view, offset: 0, length: initial)
            }
        }
        let tables: [(String, Int, committed: Int?)]
        if configuration.jdk == .v25 {
            // The physical memory manager (H/32768), the page table and two generations'
            // forwarding tables (a byte per 256 KiB of address space each).
            tables = [("ZGC physical memory manager", configuration.maxHeapSize / 32768, nil),
                      ("ZGC page table", heap.size / 262_144, nil), ("ZGC young forwarding table", heap.size / 262_144, nil),
                      ("ZGC old forwarding table", heap.size / 262_144, nil)]
        } else {
            // The mark stack space (ZMarkStackSpaceLimit, 8 GiB, 32 MiB committed), ZHeap's and
            // the page table's fixed 16 MiB.
            tables = [("ZGC mark stack space", 8 << 30, 32 << 20), ("ZGC heap tables", 16 << 20, nil), ("ZGC page table", 16 << 20, nil)]
        }
        for (name, size, committed) in tables {
            let table = try reserve(name, .gc, size: JVMConfiguration.alignUp(size, pageSize))
            try table.commit(offset: 0, length: committed ?? table.size)
        }
    }

    /// ZGC's address space: 16 bytes of address space per byte of heap (`ZVirtualToPhysicalRatio`),
    /// rounded up to a power of two, from 4 TiB up. In 17 (and 21's non-generational ZGC) the
    /// heap's memory is mapped into three such views at 4, 8 and 16 TiB (marked0, marked1,
    /// remapped): NMT counts all three views as reserved and the commits once, at marked0's
    /// addresses. 25's generational ZGC maps its memfd into a single view.
    func reserveZHeap() throws -> HeapReservation {
        let view = JVMConfiguration.roundUpPowerOfTwo(configuration.maxHeapSize * 16)
        let names = configuration.jdk == .v25 ? ["Java Heap"] : ["Java Heap (marked0 view)", "Java Heap (marked1 view)", "Java Heap (remapped view)"]
        var first: Region?
        for (index, name) in names.enumerated() {
            let region = try reserve(name, .javaHeap, size: view, at: (UInt(4) << 40) << UInt(index), align: 2 << 20,
                                     tracksCommits: index == 0)
            if first == nil { first = region }
        }
        return HeapReservation(region: first!, base: first!.base, size: view, noAccessPrefix: 0, mode: .disabled,
                               shift: 0, narrowBase: 0)
    }
}
