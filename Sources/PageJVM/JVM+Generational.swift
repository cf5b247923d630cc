import PageCore

extension JVM {
    /// Parallel and Serial: one heap reservation split between the generations
    /// (`ParallelScavengeHeap::initialize`, `GenCollectedHeap::initialize`), each committing its
    /// initial size from its low end, and the card table, committed in step with the heap.
    func bootGenerational(_ heap: HeapReservation) throws {
        let youngMax = configuration.maxNewSize
        let oldMax = heap.size - youngMax
        let youngInitial = configuration.newSize
        let oldInitial = max(configuration.initialHeapSize - youngInitial, configuration.spaceAlignment)
        // Parallel puts the old generation first; Serial the young one.
        let youngOffset = configuration.collector == .parallel ? oldMax : 0
        let oldOffset = configuration.collector == .parallel ? 0 : youngMax
        try commitHeapMemory(heap.region, offset: heap.offset + youngOffset, length: youngInitial)
        try commitHeapMemory(heap.region, offset: heap.offset + oldOffset, length: min(oldInitial, oldMax))

        let card = configuration.cardSize
        let cardTable = try reserveSideTable("Card Table", size: heap.size / card)
        for (offset, length) in [(youngOffset, youngInitial), (oldOffset, min(oldInitial, oldMax))] {
            let start = offset / card / pageSize * pageSize
            let end = JVMConfiguration.alignUp((offset + length) / card, pageSize)
            try cardTable.commit(offset: start, length: min(end, cardTable.size) - start)
        }
    }

    /// ZGC commits its initial capacity in the first view; the JVM counts it once.
    func bootZ(_ heap: HeapReservation) throws {
        try commitHeapMemory(heap.region, offset: heap.offset, length: configuration.initialHeapSize)
    }

    /// ZGC's address space: 16 bytes of address space per byte of heap (`ZVirtualToPhysicalRatio`),
    /// rounded up to a power of two. In 17 the heap's memory is one memfd mapped into three such
    /// views, at 1, 2 and 4 times the view size (marked0, marked1, remapped): RSS counts a page
    /// once per view that maps it, while the memory exists once. 25's generational ZGC has one
    /// view where the kernel likes.
    func reserveZHeap() throws -> HeapReservation {
        let view = JVMConfiguration.roundUpPowerOfTwo(configuration.maxHeapSize * 16)
        let names = configuration.jdk == .v25 ? ["Java Heap"] : ["Java Heap (marked0 view)", "Java Heap (marked1 view)", "Java Heap (remapped view)"]
        var first: Region?
        for (index, name) in names.enumerated() {
            let address: UInt? = names.count > 1 ? UInt(view) << UInt(index) : nil
            let region = try reserve(name, .javaHeap, size: view, at: address, align: 2 << 20)
            if first == nil { first = region }
        }
        return HeapReservation(region: first!, base: first!.base, size: view, noAccessPrefix: 0, mode: .disabled,
                               shift: 0, narrowBase: 0)
    }
}
