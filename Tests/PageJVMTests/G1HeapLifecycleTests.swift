import PageCore
@testable import PageJVM
import XCTest

/// Regions moving between types: allocation, humongous objects, young and full collections,
/// shrinking with the uncommit task's pacing (`docs/hotspot.md` §1.3, §1.5).
final class G1HeapLifecycleTests: XCTestCase {
    func testHumongousMeansStrictlyMoreThanHalfARegion() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, heapSize: 16 * MiB, regionSize: MiB)
        try heap.expand(by: 16 * MiB)
        XCTAssertFalse(heap.isHumongous(512 * KiB))
        XCTAssertTrue(heap.isHumongous(512 * KiB + 1), "aligned up to 512K + 8")
        let half = try heap.allocate(size: 512 * KiB)
        XCTAssertFalse(half.isHumongous)
        XCTAssertEqual(heap.regions[half.regions[0]].type, .eden)
        XCTAssertEqual(half.regions, [15], "eden comes from the top of the free list")
        let more = try heap.allocate(size: 512 * KiB + 8)
        XCTAssertTrue(more.isHumongous)
        XCTAssertEqual(more.regions, [0], "humongous objects take the lowest free regions")
        XCTAssertEqual(heap.regions[0].type, .startsHumongous)
        XCTAssertEqual(heap.regions[0].used, 512 * KiB + 8)
        let big = try heap.allocate(size: 2 * MiB + 1)
        XCTAssertEqual(big.regions, [1])
        XCTAssertEqual(heap.humongousObjects[1]?.regionCount, 3)
        XCTAssertEqual(heap.regions[1...3].map(\.type), [.startsHumongous, .continuesHumongous, .continuesHumongous])
        XCTAssertEqual(heap.regions[3].used, 8, "the last region holds the rest of the object")
        XCTAssertEqual(heap.symbols, "HHhh" + String(repeating: ".", count: 11) + "E")
        // The object is written: its pages are resident, and the pages of the last region past
        // the object's end are not.
        XCTAssertEqual(try heap.heap.stats(offset: MiB, length: 3 * MiB).resident, 2 * MiB + basePage)
    }

    func testHumongousAllocationExpandsBeforeItCollects() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, heapSize: 16 * MiB, regionSize: MiB)
        try heap.expand(by: 2 * MiB)
        try heap.allocate(size: 100 * KiB)
        let object = try heap.allocate(size: 3 * MiB)
        XCTAssertEqual(object.collections, [])
        XCTAssertEqual(object.regions, [2], "regions 0 and 1 are not a run of three; 2...4 is, once committed")
        XCTAssertEqual(heap.count(.active), 5)
        XCTAssertEqual(try heap.heap.stats().committed, 5 * MiB)
    }

    func testYoungCollectionsCopySurvivorsAndPromoteThemAtTheThreshold() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, heapSize: 32 * MiB, regionSize: MiB)
        try heap.expand(by: 32 * MiB)
        heap.workload.survivalRatio = 0.5
        heap.workload.tenuringThreshold = 1
        try heap.allocate(size: 64 * KiB, count: 64)
        XCTAssertEqual(heap.regions[28...31].map(\.type), [.eden, .eden, .eden, .eden])
        XCTAssertEqual(heap.used, 4 * MiB)
        let first = try heap.youngCollection()
        XCTAssertEqual(first.usedBefore, 4 * MiB)
        XCTAssertEqual(first.usedAfter, 2 * MiB)
        XCTAssertEqual(heap.count(.eden), 0)
        XCTAssertEqual(heap.regions[26...31].map(\.type), [.survivor, .survivor, .free, .free, .free, .free],
                       "survivors go to the highest free regions below the collected eden")
        XCTAssertEqual(first.logLine, "GC(0) Pause Young (Normal) (G1 Evacuation Pause) 4M->2M(32M)")
        // Freed eden regions keep their pages: free is not uncommitted.
        let free = try XCTUnwrap(try heap.statisticsByType().first { $0.type == .free })
        XCTAssertEqual(free.pages.resident, 4 * MiB)
        XCTAssertEqual(free.used, 0)
        // Survivors of age 1 reach the threshold and are promoted to the bottom of the heap.
        try heap.allocate(size: 64 * KiB, count: 16)
        let second = try heap.youngCollection()
        XCTAssertEqual(second.usedAfter, MiB + MiB / 2, "1M of promoted survivors and 512K of new ones")
        XCTAssertEqual(heap.regions[0].type, .old)
        XCTAssertEqual(heap.regions[0].used, MiB)
        XCTAssertEqual(heap.count(.survivor), 1)
        XCTAssertEqual(heap.count(.old), 1)
    }

    func testEdenFullTriggersAYoungCollectionThenTheHeapExpands() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, heapSize: 16 * MiB, regionSize: MiB)
        try heap.expand(by: 4 * MiB)
        heap.workload.survivalRatio = 1
        heap.workload.tenuringThreshold = 0
        let result = try heap.allocate(size: 32 * KiB, count: 256)
        XCTAssertEqual(result.objects, 256)
        XCTAssertEqual(result.bytes, 8 * MiB)
        XCTAssertFalse(result.collections.isEmpty)
        XCTAssertTrue(result.collections.allSatisfy { $0.kind == .young }, "\(result.collections.map(\.logLine))")
        XCTAssertEqual(result.expandedBytes, 4 * MiB, "one region, the least above MinHeapDeltaBytes, at a time")
        XCTAssertEqual(heap.used, 8 * MiB, "everything survives")
        XCTAssertEqual(heap.capacity, 8 * MiB)
        XCTAssertTrue(heap.log.contains { $0.hasPrefix("Attempt heap expansion (allocation request failed)") })
    }

    func testAFullHeapOfLiveDataIsOutOfMemory() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, heapSize: 4 * MiB, regionSize: MiB)
        try heap.expand(by: 4 * MiB)
        heap.workload.survivalRatio = 1
        let error = assertRuntimeError({ try heap.allocate(size: 64 * KiB, count: 128) }) {
            if case .outOfMemory(.javaHeap, _) = $0 { return true }
            return false
        }
        XCTAssertTrue(error?.description.hasPrefix("OutOfMemoryError: Java heap space (MaxHeapSize=4M") == true, "\(error!)")
        XCTAssertEqual(heap.log.filter { $0.contains("Pause Full") }.count, 2, "two full collections before giving up")
        assertRuntimeError({ try heap.allocate(size: 5 * MiB) }) {
            if case .outOfMemory(.javaHeap, _) = $0 { return true }
            return false
        }
    }

    func testFullCollectionCompactsLiveDataDownAndShrinksTheHeap() throws {
        let space = AddressSpace()
        let clock = ManualClock()
        let heap = try makeG1Heap(space, heapSize: 64 * MiB, regionSize: MiB, clock: clock.clock)
        try heap.expand(by: 32 * MiB)
        heap.minHeapSize = 4 * MiB
        heap.workload.survivalRatio = 1
        heap.workload.tenuringThreshold = 0
        try heap.allocate(size: 64 * KiB, count: 128)
        try heap.youngCollection()
        XCTAssertEqual(heap.count(.old), 8)
        heap.workload.oldSurvivalRatio = 0.25
        let full = try heap.fullCollection()
        XCTAssertEqual(full.kind, .full)
        XCTAssertEqual(full.usedAfter, 2 * MiB)
        XCTAssertEqual(Array(heap.symbols.prefix(4)), Array("OO.."), "live data slides to the lowest old regions")
        // 2M used wants at most 2M / (1 - 0.70) = 6.6M of capacity: 32 - 6.6 = 25.3M, 25 regions
        // deactivated from the top, waiting for the uncommit task.
        XCTAssertEqual(heap.count(.active), 7)
        XCTAssertEqual(heap.count(.inactive), 25)
        XCTAssertEqual(full.capacityAfter, 7 * MiB)
        XCTAssertEqual(full.logLine, "GC(1) Pause Full (System.gc()) 8M->2M(7M)")
        XCTAssertEqual(heap.nextUncommitRun, 100)
        XCTAssertEqual(heap.regionMap().split(separator: "\n")[1], " 0 OO.....~~~~~~~~~~~~~~~~~~~~~~~~~--------------------------------")
    }

    func testUncommitReleasesAtMost128MiBPerRunPacedByTheClock() throws {
        let space = AddressSpace()
        let clock = ManualClock()
        clock.now = 1_000
        let heap = try makeG1Heap(space, heapSize: 512 * MiB, regionSize: MiB, clock: clock.clock)
        try heap.expand(by: 512 * MiB)
        try heap.fullCollection()
        XCTAssertEqual(heap.count(.inactive), 511)
        XCTAssertEqual(heap.nextUncommitRun, 1_100, "first run 100 ms after the shrink")
        clock.now = 1_099
        XCTAssertEqual(try heap.runUncommitTask(), [])
        XCTAssertEqual(try heap.heap.stats().committed, 512 * MiB)
        clock.now = 1_100
        XCTAssertEqual(try heap.runUncommitTask(), [G1UncommitRun(time: 1_100, regions: 128, bytes: 128 * MiB)])
        XCTAssertEqual(try heap.heap.stats().committed, 384 * MiB)
        XCTAssertEqual(heap.nextUncommitRun, 1_110, "then every 10 ms")
        clock.now = 1_125
        XCTAssertEqual(try heap.runUncommitTask().map(\.time), [1_110, 1_120])
        XCTAssertEqual(heap.count(.inactive), 127)
        let rest = try heap.completeUncommitTask()
        XCTAssertEqual(rest, [G1UncommitRun(time: 1_130, regions: 127, bytes: 127 * MiB)])
        XCTAssertNil(heap.nextUncommitRun)
        XCTAssertTrue(heap.uncommitRuns.allSatisfy { $0.bytes <= 128 * MiB })
        XCTAssertEqual(try heap.heap.stats().committed, MiB)
        XCTAssertEqual(try heap.committed(of: "Prev Bitmap"), MiB / 64)
        XCTAssertEqual(heap.log.filter { $0.hasPrefix("Concurrent Uncommit") },
                       ["Concurrent Uncommit: 128M, 128 regions", "Concurrent Uncommit: 128M, 128 regions",
                        "Concurrent Uncommit: 128M, 128 regions", "Concurrent Uncommit: 127M, 127 regions"])
    }

    func testDroppedHumongousObjectsAreReclaimedByTheNextYoungCollection() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, heapSize: 16 * MiB, regionSize: MiB)
        try heap.expand(by: 16 * MiB)
        let object = try heap.allocate(size: 3 * MiB)
        XCTAssertEqual(heap.count(.continuesHumongous), 2)
        try heap.dropHumongousObject(at: object.regions[0])
        let collection = try heap.youngCollection()
        XCTAssertEqual(collection.reclaimedHumongous, 1)
        XCTAssertEqual(heap.count(.startsHumongous) + heap.count(.continuesHumongous), 0)
        XCTAssertTrue(heap.humongousObjects.isEmpty)
        assertRuntimeError({ try heap.dropHumongousObject(at: 0) }) { $0 == .invalidArgument(parameter: "region", message: "no live humongous object starts at region 0") }
    }

    func testEvacuationFailureKeepsRegionsInPlaceAsOld() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, heapSize: 4 * MiB, regionSize: MiB)
        try heap.expand(by: 4 * MiB)
        heap.workload.survivalRatio = 1
        heap.workload.maxYoungPercent = 100
        try heap.allocate(size: 64 * KiB, count: 64)
        XCTAssertEqual(heap.count(.eden), 4)
        let collection = try heap.youngCollection()
        XCTAssertTrue(collection.evacuationFailed)
        XCTAssertEqual(heap.count(.old), 4)
        XCTAssertTrue(collection.logLine.contains("(G1 Evacuation Pause) (Evacuation Failure) 4M->4M(4M)"), collection.logLine)
    }

    func testStatisticsByTypeMeasureWhatWasWritten() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, heapSize: 16 * MiB, regionSize: MiB)
        try heap.expand(by: 8 * MiB)
        try heap.allocate(size: 4 * KiB, count: 100)
        try heap.allocate(size: 700 * KiB)
        let stats = try heap.statisticsByType()
        XCTAssertEqual(stats.map { "\($0.type.rawValue)/\($0.state.rawValue)" },
                       ["free/active", "eden/active", "starts_humongous/active", "free/uncommitted"])
        let eden = stats[1]
        XCTAssertEqual(eden.regions, 1)
        XCTAssertEqual(eden.used, 400 * KiB)
        XCTAssertEqual(eden.pages.committed, MiB)
        XCTAssertEqual(eden.pages.resident, 400 * KiB)
        XCTAssertEqual(stats[2].pages.resident, 700 * KiB)
        XCTAssertEqual(stats[3].regions, 8)
        XCTAssertEqual(stats[3].pages.committed, 0)
    }

    func testArchiveRegionsSitAtTheTopOfAJDK17Heap() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, jdk: .v17, heapSize: 16 * MiB, regionSize: MiB)
        try heap.expand(by: 4 * MiB)
        let archive = try heap.mapArchiveRegions(closedBytes: MiB + MiB / 2, openBytes: MiB)
        XCTAssertEqual(archive, 13..<16)
        XCTAssertEqual(heap.symbols, "...." + String(repeating: "-", count: 9) + "aAA")
        XCTAssertEqual(heap.regions[15].used, MiB)
        XCTAssertEqual(heap.regions[14].used, MiB / 2)
        XCTAssertEqual(try heap.heap.stats(offset: 13 * MiB, length: 3 * MiB).resident, 2 * MiB + MiB / 2)
        XCTAssertTrue(heap.regionMap().hasSuffix("\n. free  a open archive  A closed archive  - uncommitted"), heap.regionMap())
        let jdk21 = try makeG1Heap(space, jdk: .v21, heapSize: 16 * MiB, regionSize: MiB)
        XCTAssertEqual(try jdk21.mapArchiveRegions(closedBytes: MiB, openBytes: MiB / 2), 14..<16)
        XCTAssertEqual(jdk21.regions[14...15].map(\.type), [.old, .old], "one block in old regions from 21")
        XCTAssertEqual(jdk21.regions[14...15].map(\.used), [MiB / 2, MiB])
    }

    func testRegionMapWrapsAt64WithIndexLabels() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, heapSize: 130 * MiB, regionSize: MiB)
        try heap.expand(by: MiB)
        let lines = heap.regionMap().split(separator: "\n")
        XCTAssertEqual(lines.count, 5)
        XCTAssertEqual(lines[0], "130 regions of 1M (JDK 17)")
        XCTAssertEqual(lines[1], "  0 ." + String(repeating: "-", count: 63))
        XCTAssertEqual(lines[2], " 64 " + String(repeating: "-", count: 64))
        XCTAssertEqual(lines[3], "128 --")
        XCTAssertEqual(lines[4], ". free  - uncommitted")
    }

    func testBadAllocationsAreRefused() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, heapSize: 4 * MiB, regionSize: MiB)
        assertRuntimeError({ try heap.allocate(size: 0) }) { $0 == .invalidArgument(parameter: "size", message: "object size 0 is not positive") }
        assertRuntimeError({ try heap.allocate(size: 8, count: -1) }) { $0 == .invalidArgument(parameter: "count", message: "object count -1 is not positive") }
        XCTAssertEqual(heap.used, 0)
    }
}
