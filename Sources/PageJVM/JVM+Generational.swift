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

    /// ZGC (17 and 21 non-generational): the heap's physical memory is a memfd mapped into three
    /// views (marked0, marked1, remapped), so RSS counts each touched page three times while the
    /// memory exists once.
    func bootZ(_ heap: HeapReservation) throws {
        try commitHeapMemory(heap.region, offset: heap.offset, length: configuration.initialHeapSize)
    }
}
