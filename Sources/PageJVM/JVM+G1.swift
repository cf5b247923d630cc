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

        let regionSize = configuration.regionSize
        let regions = heap.size / regionSize
        let fromCardCache = try reserve("G1 from-card cache", .gc, size: g1FromCardCacheBytes(regions: regions))
        try fromCardCache.commit(offset: 0, length: fromCardCache.size)

        // G1CollectedHeap::expand(InitialHeapSize): regions from the bottom of the heap, each with
        // its share of every side table; then the CDS archive's heap regions at the top.
        let initialRegions = configuration.initialHeapSize / regionSize
        var committed = [0..<initialRegions]
        let archived = g1ArchiveRegions
        if archived > 0, initialRegions < regions - archived { committed.append((regions - archived)..<regions) }
        for range in committed {
            try commitHeapMemory(heap.region, offset: heap.offset + range.lowerBound * regionSize, length: range.count * regionSize)
            for (table, factor) in sideTables {
                try commitCovering(table, heapRange: range.lowerBound * regionSize..<range.upperBound * regionSize, bytesPerByte: factor)
            }
        }
    }

    /// Heap regions the default CDS archive maps at the top of a G1 heap: in 17 an open and a
    /// closed archive region, only with compressed oops; in 25 about 1.5 MiB of archived objects,
    /// in as many regions as that takes. (Observed on 17.0.15 and 25.0.3; 21 follows 17.)
    var g1ArchiveRegions: Int {
        guard configuration.useSharedSpaces else { return 0 }
        if configuration.jdk == .v25 {
            return (3 << 19 + configuration.regionSize - 1) / configuration.regionSize
        }
        return configuration.useCompressedOops ? 2 : 0
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
