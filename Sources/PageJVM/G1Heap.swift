import PageCore

/// G1's heap at run time on real regions: HotSpot's `HeapRegionManager` with its region table and
/// region-to-space mappers, the allocation and collection paths of `G1CollectedHeap` that move
/// regions between types, heap sizing after a full collection, and the uncommit task's pacing.
///
/// The heap region and every side table are reserved by the caller; this class commits them
/// region by region in step, as HotSpot does, and touches pages where the JVM writes: objects
/// as they are allocated, survivors and compacted data where they are copied to.
public final class G1Heap {
    public let jdk: JDK
    public let heap: Region
    /// Where the heap starts in `heap`: after the no-access prefix of a disjoint-base heap.
    public let heapOffset: Int
    public let regionSize: Int
    public let sideTables: [G1SideTable]
    public let pretouchThreads: Int?
    public let transparentHugePages: Bool
    public let numaNodes: Int
    /// The heap's commit page: the transparent huge page size under -XX:+UseTransparentHugePages
    /// (`Universe::reserve_heap` takes the large page size when the heap alignment allows, and
    /// G1's alignment is at least 2 MiB), else the base page.
    public let heapPageSize: Int

    /// MinHeapSize: a full collection never shrinks the heap below it.
    public var minHeapSize: Int
    /// MinHeapFreeRatio and MaxHeapFreeRatio (percent) for the resize after a full collection.
    public var minHeapFreeRatio = 40
    public var maxHeapFreeRatio = 70
    /// How the program behaves: what survives collections, how large the young generation gets.
    public var workload = G1Workload()
    /// The clock the uncommit task is scheduled on.
    public var clock: MillisecondClock

    /// The region table, by index.
    public internal(set) var regions: [G1HeapRegion]
    /// What happened, in the words of `-Xlog:gc,gc+heap=debug` (without time stamps).
    public internal(set) var log: [String] = []
    /// Every run of the uncommit task so far.
    public internal(set) var uncommitRuns: [G1UncommitRun] = []
    /// Humongous objects by their first region.
    public internal(set) var humongousObjects: [Int: G1HumongousObject] = [:]

    /// The heap's mapper first, then one per side table.
    let mappers: [G1RegionMapper]
    var uncommitSchedule = G1UncommitSchedule()
    /// The mutator's current eden region.
    var mutatorRegion: Int?
    /// The old region promotions continue in (`_retained_old_gc_alloc_region`).
    var retainedOldRegion: Int?
    /// Bytes per survivor age in each survivor region.
    var survivorAges: [Int: [Int: Int]] = [:]
    /// Collections so far: the next GC id.
    var collectionCount = 0

    /// `regionSize` must be a power of two of at least the base page, and the heap (`heap`
    /// after `heapOffset`) a multiple of it; the boot computes both from the flags
    /// (`G1HeapRegionSize`, `HeapAlignment`). `heapPageSize` overrides the heap's commit page
    /// (see `heapPageSize`).
    public init(jdk: JDK, heap: Region, regionSize: Int, sideTables: [G1SideTable], pretouchThreads: Int?,
                transparentHugePages: Bool, numaNodes: Int = 1, heapOffset: Int = 0, heapPageSize: Int? = nil,
                clock: MillisecondClock = .monotonic()) {
        let basePage = HostInfo.pageSize
        precondition(regionSize >= basePage && regionSize & (regionSize - 1) == 0,
                     "G1 region size \(regionSize) is not a power of two of at least the page size")
        let heapSize = heap.size - heapOffset
        precondition(heapOffset >= 0 && heapSize >= regionSize && heapSize % regionSize == 0,
                     "heap size \(heapSize) is not a multiple of the region size \(regionSize)")
        let hugePage = transparentHugePages ? HostInfo.current().thpPageSize : 0
        func commitPage(tableSize: Int, given: Int?) -> Int {
            given ?? (hugePage > basePage && tableSize >= hugePage ? hugePage : basePage)
        }
        self.jdk = jdk
        self.heap = heap
        self.heapOffset = heapOffset
        self.regionSize = regionSize
        self.sideTables = sideTables
        self.pretouchThreads = pretouchThreads.map { max(1, $0) }
        self.transparentHugePages = transparentHugePages
        self.numaNodes = max(1, numaNodes)
        self.heapPageSize = heapPageSize ?? (hugePage > basePage ? hugePage : basePage)
        self.minHeapSize = regionSize
        self.clock = clock
        regions = (0..<heapSize / regionSize).map(G1HeapRegion.init(index:))
        var mappers = [G1RegionMapper(name: "Java Heap", region: heap, offset: heapOffset, length: heapSize, bytesPerRegion: regionSize,
                                      pageSize: self.heapPageSize,
                                      advisesHugePages: transparentHugePages && self.heapPageSize > basePage)]
        for table in sideTables {
            let page = commitPage(tableSize: table.region.size, given: table.pageSize)
            mappers.append(G1RegionMapper(name: table.name, region: table.region, offset: 0, length: table.region.size,
                                          bytesPerRegion: max(1, regionSize / table.heapBytesPerByte), pageSize: page,
                                          advisesHugePages: transparentHugePages && page > basePage))
        }
        self.mappers = mappers
    }

    // MARK: Sizes

    public var maxRegions: Int { regions.count }
    /// MaxHeapSize: the heap's reserved bytes.
    public var maxHeapSize: Int { regions.count * regionSize }
    /// Bytes of active regions: what HotSpot calls the heap's capacity.
    public var capacity: Int { count(.active) * regionSize }
    /// Bytes of committed regions, active or waiting for the uncommit task.
    public var committed: Int { (regions.count - count(.uncommitted)) * regionSize }
    /// Bytes allocated in active regions.
    public var used: Int { regions.reduce(0) { $0 + ($1.state == .active ? $1.used : 0) } }
    public var freeRegions: Int { regions.count { $0.state == .active && $0.type == .free } }

    func count(_ state: G1RegionState) -> Int {
        regions.count { $0.state == state }
    }

    func count(_ type: G1RegionType) -> Int {
        regions.count { $0.state == .active && $0.type == type }
    }

    // MARK: Expansion

    /// `G1CollectedHeap::expand`: rounds `bytes` up to whole regions, reactivates regions waiting
    /// for the uncommit task first (lowest index first), then commits the lowest uncommitted
    /// index ranges: the heap and every side table together. Returns the bytes the heap grew by,
    /// 0 when it is fully expanded already.
    @discardableResult
    public func expand(by bytes: Int) throws(PageError) -> Int {
        guard bytes > 0 else { throw PageError(.invalidArgument(parameter: "size"), "expansion size \(bytes) is not positive") }
        try runUncommitTask()
        let pageAligned = (bytes + heapPageSize - 1) / heapPageSize * heapPageSize
        let aligned = (pageAligned + regionSize - 1) / regionSize * regionSize
        log.append("Expand the heap. requested expansion amount: \(bytes)B expansion amount: \(aligned)B")
        guard regions.contains(where: { $0.state != .active }) else {
            log.append("Did not expand the heap (heap already fully expanded)")
            return 0
        }
        let wanted = aligned / regionSize
        var expanded = 0
        for range in ranges(in: .inactive) where expanded < wanted {
            let take = min(wanted - expanded, range.count)
            activate(range.lowerBound..<range.lowerBound + take)
            expanded += take
        }
        for range in ranges(in: .uncommitted) where expanded < wanted {
            let take = min(wanted - expanded, range.count)
            try commit(range.lowerBound..<range.lowerBound + take)
            expanded += take
        }
        return expanded * regionSize
    }

    /// `HeapRegionManager::expand_exact`: makes each of `indices` active whatever its state.
    func expandExactly(_ indices: Range<Int>) throws(PageError) {
        for range in ranges(in: .inactive, within: indices) {
            activate(range)
        }
        for range in ranges(in: .uncommitted, within: indices) {
            try commit(range)
        }
    }

    /// Commits uncommitted regions in every mapper, with THP advice and pretouch as configured,
    /// then activates them. On failure, whatever this call committed is uncommitted again.
    func commit(_ indices: Range<Int>) throws(PageError) {
        let isCommitted: (Int) -> Bool = { [regions] in regions[$0].state != .uncommitted }
        var committedRuns: [(mapper: G1RegionMapper, run: Range<Int>)] = []
        do throws(PageError) {
            for mapper in mappers {
                for run in mapper.unsharedRuns(of: indices, isCommitted: isCommitted) {
                    try mapper.region.commit(offset: run.lowerBound, length: run.count)
                    committedRuns.append((mapper, run))
                    if mapper.advisesHugePages {
                        try mapper.region.advise(offset: run.lowerBound, length: run.count, .hugepage)
                    }
                }
            }
            if let threads = pretouchThreads {
                for (mapper, run) in committedRuns {
                    try pretouch(mapper, run, threads: threads)
                }
            }
        } catch {
            for (mapper, run) in committedRuns {
                _ = try? mapper.region.uncommit(offset: run.lowerBound, length: run.count)
            }
            throw error
        }
        activate(indices)
    }

    /// `PretouchTask`: the workers share the range in 4 MiB chunks and store to every page; JDK 25
    /// under THP asks the kernel with MADV_POPULATE_WRITE instead (JDK-8315923).
    private func pretouch(_ mapper: G1RegionMapper, _ run: Range<Int>, threads: Int) throws(PageError) {
        if jdk.pretouchUsesPopulate && transparentHugePages {
            try mapper.region.advise(offset: run.lowerBound, length: run.count, .populateWrite)
        } else {
            try mapper.region.touch(offset: run.lowerBound, length: run.count, options: TouchOptions(threads: threads))
        }
    }

    /// Makes committed regions active and free, on their preferred NUMA node.
    private func activate(_ indices: Range<Int>) {
        for index in indices {
            regions[index].state = .active
            regions[index].type = .free
            regions[index].used = 0
            regions[index].preferredNode = preferredNode(of: index)
        }
    }

    /// `G1NUMA::preferred_node_index_for_index`: round robin by region, or by heap page when a
    /// page holds several regions.
    func preferredNode(of index: Int) -> Int {
        let regionsPerPage = max(1, heapPageSize / regionSize)
        return index / regionsPerPage % numaNodes
    }

    // MARK: Shrinking and uncommit

    /// `G1CollectedHeap::shrink_helper` and `HeapRegionManager::shrink_by`: deactivates up to
    /// `bytes / regionSize` free regions, searching down from the top of the heap, and leaves
    /// them to the uncommit task. Returns the number of regions deactivated.
    @discardableResult
    func shrink(by bytes: Int) -> Int {
        let pageAligned = bytes / heapPageSize * heapPageSize
        let wanted = min(bytes / regionSize, count(.active) - 1)
        var removed = 0
        var cursor = regions.count - 1
        while removed < wanted {
            while cursor >= 0 && !isEmptyActive(cursor) { cursor -= 1 }
            guard cursor >= 0 else { break }
            var lowest = cursor
            while lowest > 0 && isEmptyActive(lowest - 1) { lowest -= 1 }
            let take = min(wanted - removed, cursor - lowest + 1)
            for index in cursor - take + 1...cursor {
                regions[index].state = .inactive
                regions[index].preferredNode = nil
            }
            removed += take
            cursor = lowest - 1
        }
        log.append("Shrink the heap. requested shrinking amount: \(bytes)B aligned shrinking amount: "
                   + "\(pageAligned / regionSize * regionSize)B attempted shrinking amount: \(removed * regionSize)B")
        if removed > 0 {
            log.append("Uncommittable regions after shrink: \(removed)")
            uncommitSchedule.enqueue(now: clock.now())
        }
        return removed
    }

    private func isEmptyActive(_ index: Int) -> Bool {
        regions[index].state == .active && regions[index].type == .free
    }

    /// When the uncommit task runs next on the heap's clock; nil when it is not scheduled.
    public var nextUncommitRun: Int? { uncommitSchedule.nextRun }

    /// Runs the uncommit task as often as it would have run by now on the heap's clock (the
    /// service thread runs concurrently with everything else). Returns those runs.
    @discardableResult
    public func runUncommitTask() throws(PageError) -> [G1UncommitRun] {
        let now = clock.now()
        var runs: [G1UncommitRun] = []
        while let time = uncommitSchedule.nextRun, time <= now {
            runs.append(try uncommitRun(at: time))
        }
        return runs
    }

    /// Runs the pending uncommit task to completion whatever the clock says, each run at the
    /// time it is scheduled for. Returns those runs.
    @discardableResult
    public func completeUncommitTask() throws(PageError) -> [G1UncommitRun] {
        var runs: [G1UncommitRun] = []
        while let time = uncommitSchedule.nextRun {
            runs.append(try uncommitRun(at: time))
        }
        return runs
    }

    /// One `G1UncommitRegionTask::execute`: `HeapRegionManager::uncommit_inactive_regions`
    /// takes inactive ranges from the bottom up to the run's limit.
    private func uncommitRun(at time: Int) throws(PageError) -> G1UncommitRun {
        let limit = G1UncommitSchedule.regionLimit(regionSize: regionSize)
        var uncommitted = 0
        for range in ranges(in: .inactive) where uncommitted < limit {
            let take = min(range.count, limit - uncommitted)
            try uncommit(range.lowerBound..<range.lowerBound + take)
            uncommitted += take
        }
        uncommitSchedule.ran(at: time, regionsLeft: count(.inactive) > 0)
        let run = G1UncommitRun(time: time, regions: uncommitted, bytes: uncommitted * regionSize)
        if uncommitted > 0 {
            log.append("Concurrent Uncommit: \(ByteSize.format(run.bytes)), \(uncommitted) regions")
        }
        uncommitRuns.append(run)
        return run
    }

    /// `HeapRegionManager::uncommit_regions`: the heap's pages, and each side-table page none of
    /// whose regions stays committed.
    private func uncommit(_ indices: Range<Int>) throws(PageError) {
        for index in indices {
            regions[index].state = .uncommitted
            regions[index].preferredNode = nil
        }
        let isCommitted: (Int) -> Bool = { [regions] in regions[$0].state != .uncommitted }
        for mapper in mappers {
            for run in mapper.unsharedRuns(of: indices, isCommitted: isCommitted) {
                try mapper.region.uncommit(offset: run.lowerBound, length: run.count)
            }
        }
    }

    // MARK: Ranges

    /// Maximal runs of consecutive regions in `state`, ascending, within `bounds`.
    func ranges(in state: G1RegionState, within bounds: Range<Int>? = nil) -> [Range<Int>] {
        consecutiveRuns(in: bounds ?? regions.indices) { regions[$0].state == state }
    }
}
