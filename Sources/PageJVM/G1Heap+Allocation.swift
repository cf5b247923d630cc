import PageCore

/// What one `G1Heap.allocate` call did.
public struct G1Allocation: Sendable, Equatable {
    public internal(set) var objects = 0
    /// Object bytes, each object rounded up to the 8-byte object alignment.
    public internal(set) var bytes = 0
    /// Regions the objects went to, in the order they were used (eden regions, or the first
    /// region of each humongous object).
    public internal(set) var regions: [Int] = []
    public internal(set) var isHumongous = false
    /// Collections the allocation caused.
    public internal(set) var collections: [G1Collection] = []
    /// Bytes the heap grew by to satisfy it.
    public internal(set) var expandedBytes = 0
}

extension G1Heap {
    /// MinHeapDeltaBytes: `ScaleForWordSize(128K)`, the least an allocation failure expands by.
    static let minHeapDeltaBytes = 170_392
    /// MinObjAlignmentInBytes.
    static let objectAlignment = 8

    /// `G1CollectedHeap::is_humongous`: strictly larger than half a region.
    public func isHumongous(_ size: Int) -> Bool {
        alignedObjectSize(size) > regionSize / 2
    }

    private func alignedObjectSize(_ size: Int) -> Int {
        (size + Self.objectAlignment - 1) / Self.objectAlignment * Self.objectAlignment
    }

    /// Allocates `count` objects of `size` bytes as the mutator does: small objects into the
    /// current eden region (touching the pages they cover, as object initialization does),
    /// taking a new eden region from the top of the free list when it is full; humongous
    /// objects into contiguous regions. When that fails, HotSpot's path follows: a young
    /// collection, then expansion, then full collections, and `OutOfMemoryError: Java heap space`
    /// when all of that is not enough.
    @discardableResult
    public func allocate(size: Int, count: Int = 1) throws(JVMRuntimeError) -> G1Allocation {
        guard size > 0 else { throw .invalidArgument(parameter: "size", message: "object size \(size) is not positive") }
        guard count > 0 else { throw .invalidArgument(parameter: "count", message: "object count \(count) is not positive") }
        guard size <= maxHeapSize else {
            throw outOfMemory("a \(ByteSize.format(size)) object is larger than the whole heap")
        }
        try catchUpServiceThread()
        let objectSize = alignedObjectSize(size)
        var result = G1Allocation()
        if objectSize > regionSize / 2 {
            result.isHumongous = true
            for _ in 0..<count {
                try allocateHumongous(objectSize, &result)
            }
        } else {
            try allocateSmall(objectSize, count: count, &result)
        }
        return result
    }

    /// Marks the humongous object starting at `firstRegion` unreachable; the next collection
    /// reclaims its regions (eager reclaim in a young collection, JDK-8027959).
    public func dropHumongousObject(at firstRegion: Int) throws(JVMRuntimeError) {
        guard humongousObjects[firstRegion]?.isLive == true else {
            throw .invalidArgument(parameter: "region", message: "no live humongous object starts at region \(firstRegion)")
        }
        humongousObjects[firstRegion]?.isLive = false
    }

    // MARK: Small objects

    private func allocateSmall(_ size: Int, count: Int, _ result: inout G1Allocation) throws(JVMRuntimeError) {
        var remaining = count
        while remaining > 0 {
            if let region = mutatorRegion, (regionSize - regions[region].used) / size > 0 {
                let objects = min(remaining, (regionSize - regions[region].used) / size)
                let top = regions[region].used
                try write(region: region, bytes: top..<top + objects * size)
                regions[region].used += objects * size
                remaining -= objects
                result.objects += objects
                result.bytes += objects * size
                if result.regions.last != region { result.regions.append(region) }
            } else {
                mutatorRegion = try obtainRegion(size: size, cause: "G1 Evacuation Pause", &result) { () throws(JVMRuntimeError) in
                    newEdenRegion()
                }
            }
        }
    }

    /// A free region for eden, from the top of the free list, while the young generation is
    /// below its limit (or empty of eden, as after a collection).
    private func newEdenRegion() -> Int? {
        let eden = count(.eden)
        let young = eden + count(.survivor)
        let limit = max(1, count(.active) * workload.clampedYoungPercent / 100)
        guard eden == 0 || young < limit, let region = takeFreeRegion(young: true) else { return nil }
        regions[region].type = .eden
        return region
    }

    /// `HeapRegionManager::allocate_free_region`: young regions come from the tail of the
    /// address-ordered free list, all others from its head.
    func takeFreeRegion(young: Bool) -> Int? {
        let free = { (index: Int) in self.regions[index].state == .active && self.regions[index].type == .free }
        return young ? regions.indices.last(where: free) : regions.indices.first(where: free)
    }

    // MARK: Humongous objects

    private func allocateHumongous(_ size: Int, _ result: inout G1Allocation) throws(JVMRuntimeError) {
        let regionCount = (size + regionSize - 1) / regionSize
        let first = try obtainRegion(size: size, cause: "G1 Humongous Allocation", &result) { () throws(JVMRuntimeError) in
            try humongousRegions(regionCount)
        }
        for index in first..<first + regionCount {
            regions[index].type = index == first ? .startsHumongous : .continuesHumongous
            regions[index].used = min(regionSize, size - (index - first) * regionSize)
        }
        humongousObjects[first] = G1HumongousObject(firstRegion: first, regionCount: regionCount, size: size)
        try write(region: first, bytes: 0..<size)
        result.objects += 1
        result.bytes += size
        result.regions.append(first)
    }

    /// `G1CollectedHeap::humongous_obj_allocate`: contiguous free regions among the active ones
    /// (a single region from the head of the free list), else a run of free and not yet active
    /// regions that is made active.
    private func humongousRegions(_ count: Int) throws(JVMRuntimeError) -> Int? {
        if count == 1, let region = takeFreeRegion(young: false) { return region }
        if let first = contiguousRun(count, accepting: { $0.state == .active && $0.type == .free }) { return first }
        guard let first = contiguousRun(count, accepting: { $0.state != .active || $0.type == .free }) else { return nil }
        try pageOperation { () throws(PageError) in try expandExactly(first..<first + count) }
        log.append("Heap expansion (humongous allocation request). Allocation request: \(count * regionSize)B")
        return first
    }

    /// The lowest start of `count` consecutive regions that `accepting` all accept.
    private func contiguousRun(_ count: Int, accepting: (G1HeapRegion) -> Bool) -> Int? {
        var start = 0
        while start + count <= regions.count {
            if let blocker = (start..<start + count).last(where: { !accepting(regions[$0]) }) {
                start = blocker + 1
            } else {
                return start
            }
        }
        return nil
    }

    // MARK: The slow path

    /// Runs `attempt` and, while it finds no region, HotSpot's sequence after a failed
    /// allocation (`VM_G1CollectForAllocation`, `satisfy_failed_allocation`): a young collection,
    /// then for each of two full collections (the second one clearing soft references) an
    /// attempt, an expansion by at least MinHeapDeltaBytes, and the collection itself.
    private func obtainRegion(size: Int, cause: String, _ result: inout G1Allocation,
                              _ attempt: () throws(JVMRuntimeError) -> Int?) throws(JVMRuntimeError) -> Int {
        if let region = try attempt() { return region }
        result.collections.append(try collectYoung(cause: cause))
        for clearsSoftReferences in [false, true] {
            if let region = try attempt() { return region }
            if try expandForAllocation(size, &result), let region = try attempt() { return region }
            result.collections.append(try collectFull(cause: cause, everythingLive: clearsSoftReferences))
        }
        if let region = try attempt() { return region }
        if try expandForAllocation(size, &result), let region = try attempt() { return region }
        throw outOfMemory("allocating \(ByteSize.format(size)) after \(result.collections.count) collections, "
                          + "\(ByteSize.format(used)) in use, \(freeRegions) free regions")
    }

    /// `G1CollectedHeap::expand_and_allocate`'s expansion.
    private func expandForAllocation(_ size: Int, _ result: inout G1Allocation) throws(JVMRuntimeError) -> Bool {
        log.append("Attempt heap expansion (allocation request failed). Allocation request: \(size)B")
        let grown = try pageOperation { () throws(PageError) in try expand(by: max(size, Self.minHeapDeltaBytes)) }
        result.expandedBytes += grown
        return grown > 0
    }

    func outOfMemory(_ detail: String) -> JVMRuntimeError {
        .outOfMemory(space: .javaHeap, message: "OutOfMemoryError: Java heap space (MaxHeapSize=\(ByteSize.format(maxHeapSize)): \(detail))")
    }

    /// Stores to every base page of `bytes` (offsets into `region`), as the JVM's stores do.
    func write(region: Int, bytes: Range<Int>) throws(JVMRuntimeError) {
        guard !bytes.isEmpty else { return }
        let start = heapOffset + region * regionSize
        let pages = basePages(covering: start + bytes.lowerBound..<start + bytes.upperBound)
        try pageOperation { () throws(PageError) in _ = try heap.touch(offset: pages.lowerBound, length: pages.count) }
    }

    /// Runs the uncommit task as far as the clock says it would have run by now.
    func catchUpServiceThread() throws(JVMRuntimeError) {
        try pageOperation { () throws(PageError) in try runUncommitTask() }
    }

    @discardableResult
    func pageOperation<T>(_ body: () throws(PageError) -> T) throws(JVMRuntimeError) -> T {
        do throws(PageError) {
            return try body()
        } catch {
            throw .page(error)
        }
    }
}
