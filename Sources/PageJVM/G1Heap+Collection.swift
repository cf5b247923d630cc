import PageCore

/// One collection and what it did to the heap.
public struct G1Collection: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case young, full
    }

    /// The GC id of `-Xlog:gc` ("GC(3)").
    public let id: Int
    public let kind: Kind
    public let cause: String
    public let usedBefore: Int
    public let usedAfter: Int
    /// Active regions' bytes after the collection (and after the resize of a full collection).
    public let capacityAfter: Int
    /// A young collection found no room for some survivors and kept their regions as old.
    public let evacuationFailed: Bool
    /// Humongous objects whose regions were freed.
    public let reclaimedHumongous: Int

    /// The `-Xlog:gc` line, without time stamps and duration.
    public var logLine: String {
        let pause = kind == .young ? "Pause Young (Normal)" : "Pause Full"
        let failure = evacuationFailed ? " (Evacuation Failure)" : ""
        return "GC(\(id)) \(pause) (\(cause))\(failure) \(usedBefore >> 20)M->\(usedAfter >> 20)M(\(capacityAfter >> 20)M)"
    }
}

extension G1Heap {
    /// A young collection, as the mutator's allocation failure causes it.
    @discardableResult
    public func youngCollection() throws(JVMRuntimeError) -> G1Collection {
        try catchUpServiceThread()
        return try collectYoung(cause: "G1 Evacuation Pause")
    }

    /// A full collection, as `System.gc()` causes it, with the resize that follows.
    @discardableResult
    public func fullCollection() throws(JVMRuntimeError) -> G1Collection {
        try catchUpServiceThread()
        return try collectFull(cause: "System.gc()", everythingLive: false)
    }

    /// Evacuates eden and survivor regions: the live share of each age goes to survivor regions
    /// (taken from the top of the free list) or, at the tenuring threshold, to old regions
    /// (from the bottom, continuing the retained old region); the collected regions become free,
    /// their pages still resident. A region whose survivors find no room stays where it is as an
    /// old region (evacuation failure). Dead humongous objects are reclaimed on the way.
    func collectYoung(cause: String) throws(JVMRuntimeError) -> G1Collection {
        let id = nextCollectionID()
        let usedBefore = used
        let reclaimed = reclaimDeadHumongousObjects()
        mutatorRegion = nil
        let collectionSet = regions.indices.filter { regions[$0].state == .active && regions[$0].type.isYoung }
        var evacuation = Evacuation(oldRegion: retainedOldRegion.flatMap { regions[$0].type == .old ? $0 : nil })
        var failed = Set<Int>()
        for source in collectionSet {
            let cohorts = regions[source].type == .eden ? [0: regions[source].used] : survivorAges[source] ?? [:]
            var toSurvivor: [Int: Int] = [:]
            var toOld = 0
            for (age, bytes) in cohorts {
                let live = liveShare(bytes, workload.clampedSurvival)
                if age >= workload.clampedThreshold {
                    toOld += live
                } else {
                    toSurvivor[age + 1, default: 0] += live
                }
            }
            guard evacuation.fits(survivors: toSurvivor.values.reduce(0, +), old: toOld, in: self) else {
                failed.insert(source)
                continue
            }
            for age in toSurvivor.keys.sorted() {
                evacuation.copy(toSurvivor[age]!, age: age, into: self)
            }
            evacuation.copy(toOld, age: nil, into: self)
        }
        for source in collectionSet {
            survivorAges[source] = nil
            if failed.contains(source) {
                regions[source].type = .old
            } else {
                regions[source].type = .free
                regions[source].used = 0
            }
        }
        survivorAges.merge(evacuation.survivorAges) { _, new in new }
        retainedOldRegion = evacuation.oldRegion.flatMap { regions[$0].used < regionSize ? $0 : nil }
        for (region, bytes) in evacuation.writes.sorted(by: { $0.key < $1.key }) {
            try write(region: region, bytes: bytes)
        }
        return record(G1Collection(id: id, kind: .young, cause: cause, usedBefore: usedBefore, usedAfter: used,
                                   capacityAfter: capacity, evacuationFailed: !failed.isEmpty, reclaimedHumongous: reclaimed))
    }

    /// A full collection (`G1FullCollector`, one worker): the live share of young and old
    /// regions slides down into the lowest of them in address order, the rest become free;
    /// humongous and archive regions stay. Then the heap is resized by MinHeapFreeRatio and
    /// MaxHeapFreeRatio, which may leave regions to the uncommit task. `everythingLive` is the
    /// second full collection of an allocation failure, which finds nothing more to free.
    func collectFull(cause: String, everythingLive: Bool) throws(JVMRuntimeError) -> G1Collection {
        let id = nextCollectionID()
        let usedBefore = used
        let reclaimed = reclaimDeadHumongousObjects()
        mutatorRegion = nil
        retainedOldRegion = nil
        survivorAges = [:]
        let sources = regions.indices.filter {
            regions[$0].state == .active && (regions[$0].type.isYoung || regions[$0].type == .old)
        }
        var compacted = [Int](repeating: 0, count: sources.count)
        var destination = 0
        for source in sources {
            let ratio = everythingLive ? 1 : regions[source].type == .old ? workload.clampedOldSurvival : workload.clampedSurvival
            var live = liveShare(regions[source].used, ratio)
            while live > 0 {
                let moved = min(live, regionSize - compacted[destination])
                compacted[destination] += moved
                live -= moved
                if compacted[destination] == regionSize { destination += 1 }
            }
        }
        for (position, region) in sources.enumerated() {
            regions[region].type = compacted[position] > 0 ? .old : .free
            regions[region].used = compacted[position]
        }
        for (position, region) in sources.enumerated() where compacted[position] > 0 {
            try write(region: region, bytes: 0..<compacted[position])
        }
        try pageOperation { () throws(PageError) in try resizeAfterFullCollection() }
        return record(G1Collection(id: id, kind: .full, cause: cause, usedBefore: usedBefore, usedAfter: used,
                                   capacityAfter: capacity, evacuationFailed: false, reclaimedHumongous: reclaimed))
    }

    /// `G1HeapSizingPolicy::full_collection_resize_amount` and `resize_heap_if_necessary`.
    func resizeAfterFullCollection() throws(PageError) {
        let capacity = self.capacity
        let usedAfter = capacity - freeRegions * regionSize
        func target(_ freeRatio: Int) -> Int {
            guard freeRatio < 100 else { return maxHeapSize }
            return Int(min(Double(usedAfter) / (1 - Double(freeRatio) / 100), Double(maxHeapSize)))
        }
        let minimumDesired = min(target(minHeapFreeRatio), maxHeapSize)
        let maximumDesired = max(target(maxHeapFreeRatio), minHeapSize)
        if capacity < minimumDesired {
            log.append("Attempt heap expansion (capacity lower than min desired capacity). Capacity: \(capacity)B "
                       + "occupancy: \(usedAfter)B live: \(used)B min_desired_capacity: \(minimumDesired)B (\(minHeapFreeRatio) %)")
            try expand(by: minimumDesired - capacity)
        } else if capacity > maximumDesired {
            log.append("Attempt heap shrinking (capacity higher than max desired capacity). Capacity: \(capacity)B "
                       + "occupancy: \(usedAfter)B live: \(used)B maximum_desired_capacity: \(maximumDesired)B (\(maxHeapFreeRatio) %)")
            shrink(by: capacity - maximumDesired)
        }
    }

    /// Frees the regions of humongous objects the program dropped.
    private func reclaimDeadHumongousObjects() -> Int {
        let dead = humongousObjects.values.filter { !$0.isLive }
        for object in dead {
            for index in object.firstRegion..<object.firstRegion + object.regionCount {
                regions[index].type = .free
                regions[index].used = 0
            }
            humongousObjects[object.firstRegion] = nil
        }
        return dead.count
    }

    private func liveShare(_ bytes: Int, _ ratio: Double) -> Int {
        Int(Double(bytes) * ratio) / Self.objectAlignment * Self.objectAlignment
    }

    private func nextCollectionID() -> Int {
        defer { collectionCount += 1 }
        return collectionCount
    }

    private func record(_ collection: G1Collection) -> G1Collection {
        log.append(collection.logLine)
        return collection
    }
}

/// Where a young collection copies survivors to: G1's survivor and old GC allocation regions.
private struct Evacuation {
    var survivorRegion: Int?
    var oldRegion: Int?
    /// Bytes written per destination region.
    var writes: [Int: Range<Int>] = [:]
    var survivorAges: [Int: [Int: Int]] = [:]

    init(oldRegion: Int?) {
        self.oldRegion = oldRegion
    }

    /// Whether the free regions (and the room left in the current destinations) hold both.
    func fits(survivors: Int, old: Int, in heap: G1Heap) -> Bool {
        func regionsNeeded(_ bytes: Int, after current: Int?) -> Int {
            let room = current.map { heap.regionSize - heap.regions[$0].used } ?? 0
            return (max(0, bytes - room) + heap.regionSize - 1) / heap.regionSize
        }
        return regionsNeeded(survivors, after: survivorRegion) + regionsNeeded(old, after: oldRegion) <= heap.freeRegions
    }

    /// Copies `bytes` of survivors of `age` (nil: promoted to old), taking free regions as the
    /// current destination fills; `fits` said they are there.
    mutating func copy(_ bytes: Int, age: Int?, into heap: G1Heap) {
        var remaining = bytes
        while remaining > 0 {
            var destination = age == nil ? oldRegion : survivorRegion
            if destination == nil || heap.regions[destination!].used == heap.regionSize {
                let region = heap.takeFreeRegion(young: age != nil)!
                heap.regions[region].type = age == nil ? .old : .survivor
                destination = region
                if age == nil { oldRegion = region } else { survivorRegion = region }
            }
            let region = destination!
            let top = heap.regions[region].used
            let moved = min(remaining, heap.regionSize - top)
            heap.regions[region].used += moved
            writes[region] = (writes[region]?.lowerBound ?? top)..<top + moved
            if let age { survivorAges[region, default: [:]][age, default: 0] += moved }
            remaining -= moved
        }
    }
}
