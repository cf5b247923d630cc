import PageCore

extension JVM {
    /// G1's side tables as `G1CollectedHeap::initialize` creates them, in its order, with the heap
    /// bytes each table byte covers (`docs/hotspot.md` §1.4).
    var g1SideTables: [(name: String, heapBytesPerByte: Int)] {
        let card = configuration.cardSize
        var tables = [("Block Offset Table", card), ("Card Table", card)]
        if configuration.jdk.g1HasCardCounts { tables.append(("Card Counts Table", card)) }
        for bitmap in configuration.jdk.g1MarkBitmaps {
            tables.append((bitmap, configuration.objectAlignment * 8))
        }
        return tables
    }

    /// The entries of G1's global mark stack: `MarkStackSize` raised to ConcGCThreads task
    /// queues of 128 Ki entries, capped at `MarkStackSizeMax` (`G1Arguments::initialize`).
    var g1MarkStackEntries: Int {
        let arguments = configuration.arguments
        let queues = configuration.concGCThreads * (1 << 17)
        return min(arguments.integer("MarkStackSizeMax"), max(arguments.integer("MarkStackSize"), queues))
    }

    func bootG1(_ heap: HeapReservation) throws {
        var sideTables: [(Region, Int)] = []
        for table in g1SideTables {
            sideTables.append((try reserveSideTable(table.name, size: heap.size / table.heapBytesPerByte), table.heapBytesPerByte))
        }
        // The global mark stack is mapped and committed whole (MmapArrayAllocator).
        let markStack = try reserve("G1 concurrent mark stack", .gc, size: JVMConfiguration.alignUp(g1MarkStackEntries * 8, pageSize))
        try markStack.commit(offset: 0, length: markStack.size)

        // G1CollectedHeap::expand(InitialHeapSize): regions from the bottom of the heap, each with
        // its share of every side table.
        let regionSize = configuration.regionSize
        let initialRegions = configuration.initialHeapSize / regionSize
        try commitHeapMemory(heap.region, offset: heap.offset, length: initialRegions * regionSize)
        for (table, factor) in sideTables {
            let length = JVMConfiguration.alignUp(initialRegions * regionSize / factor, pageSize)
            try commitHeapMemory(table, offset: 0, length: min(length, table.size))
        }
    }
}
