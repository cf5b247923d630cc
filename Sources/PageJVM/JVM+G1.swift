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
        var sideTables: [G1SideTable] = []
        for table in g1SideTables {
            let requested = heap.size / table.heapBytesPerByte
            sideTables.append(G1SideTable(name: table.name, region: try reserveSideTable(table.name, size: requested),
                                          heapBytesPerByte: table.heapBytesPerByte, pageSize: sideTablePageSize(requested: requested)))
        }
        // The global mark stack is mapped and committed whole (MmapArrayAllocator).
        let markStack = try reserve("G1 concurrent mark stack", .gc, size: JVMConfiguration.alignUp(g1MarkStackEntries * 8, pageSize))
        try markStack.commit(offset: 0, length: markStack.size)

        let fromCardCache = try reserve("G1 from-card cache", .gc, size: g1FromCardCacheBytes(regions: heap.size / configuration.regionSize))
        try fromCardCache.commit(offset: 0, length: fromCardCache.size)

        // G1CollectedHeap::expand(InitialHeapSize): regions from the bottom of the heap, each with
        // its share of every side table; then the CDS archive's heap regions at the top.
        g1Heap = try startG1Heap(heap, sideTables: sideTables)
    }

    /// `G1FromCardCache`: a `Padded2DArray` (128-byte aligned rows, mapped and committed whole)
    /// of one row per region with a card for each of the remembered-set parallel ids
    /// (`G1RemSet::num_par_rem_sets`: processors + refinement threads + max(ParallelGCThreads,
    /// ConcGCThreads)).
    func g1FromCardCacheBytes(regions: Int) -> Int {
        let parallelIDs = configuration.machine.cpus + configuration.parallelGCThreads
            + max(configuration.parallelGCThreads, configuration.concGCThreads)
        let align = { (bytes: Int) in JVMConfiguration.alignUp(bytes, 128) }
        return JVMConfiguration.alignUp(align(regions * 8) + regions * align(parallelIDs * 8) + 128, pageSize)
    }
}
