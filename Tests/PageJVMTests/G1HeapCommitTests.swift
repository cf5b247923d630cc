import PageCore
@testable import PageJVM
import XCTest

/// The heap and its side tables are committed region by region, as G1's region-to-space mappers
/// do (`docs/hotspot.md` §1.3, §1.4).
final class G1HeapCommitTests: XCTestCase {
    func testEightGiBHeapWithFourMiBRegionsCommitsEachTableByTheRegion() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, jdk: .v17, heapSize: 8 * GiB, regionSize: 4 * MiB)
        XCTAssertEqual(heap.maxRegions, 2048)
        XCTAssertEqual(try heap.expand(by: 1), 4 * MiB, "one byte rounds up to a whole region")
        XCTAssertEqual(try heap.heap.stats().committed, 4 * MiB)
        XCTAssertEqual(try heap.committed(of: "Card Table"), 8 * KiB)
        XCTAssertEqual(try heap.committed(of: "Block Offset Table"), 8 * KiB)
        XCTAssertEqual(try heap.committed(of: "Card Counts Table"), 8 * KiB)
        XCTAssertEqual(try heap.committed(of: "Prev Bitmap"), 64 * KiB)
        XCTAssertEqual(try heap.committed(of: "Next Bitmap"), 64 * KiB)
        try heap.expand(by: 3 * 4 * MiB)
        XCTAssertEqual(try heap.committed(of: "Next Bitmap"), 4 * 64 * KiB)
        XCTAssertEqual(try heap.table("Card Table").stats(offset: 0, length: 32 * KiB).committed, 32 * KiB,
                       "the lowest index ranges, contiguous from the bottom")
        XCTAssertEqual(heap.regions.prefix(5).map(\.state), [.active, .active, .active, .active, .uncommitted])
        XCTAssertTrue(heap.log.contains("Expand the heap. requested expansion amount: 1B expansion amount: 4194304B"))
    }

    func testJDK21HasOneMarkBitmapAndNoCardCounts() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, jdk: .v21, heapSize: 8 * GiB, regionSize: 4 * MiB)
        XCTAssertEqual(heap.sideTables.map(\.name), ["Block Offset Table", "Card Table", "Mark Bitmap"])
        try heap.expand(by: 8 * MiB)
        XCTAssertEqual(try heap.committed(of: "Mark Bitmap"), 128 * KiB)
        XCTAssertEqual(try heap.committed(of: "Card Table"), 16 * KiB)
    }

    /// With 1 MiB regions and 512-byte cards a region has 2 KiB of card table, so one 4 KiB page
    /// serves two regions; with `-XX:GCCardSizeInBytes=1024` (JDK 18+) it is 1 KiB and four.
    func testSharedCardTablePageStaysWhileOneOfItsRegionsIsCommitted() throws {
        try XCTSkipUnless(basePage == 4 * KiB, "the figures assume 4 KiB base pages")
        for (jdk, cardSize, regionsPerPage) in [(JDK.v17, 512, 2), (JDK.v21, 1024, 4)] {
            let space = AddressSpace()
            let clock = ManualClock()
            let heap = try makeG1Heap(space, jdk: jdk, heapSize: 8 * MiB, regionSize: MiB, cardSize: cardSize, clock: clock.clock)
            try heap.expand(by: MiB)
            XCTAssertEqual(try heap.committed(of: "Card Table"), 4 * KiB, "the first region commits the shared page")
            try heap.expand(by: MiB)
            XCTAssertEqual(try heap.committed(of: "Card Table"), 4 * KiB, "the second region finds it committed")
            try heap.expand(by: 6 * MiB)
            XCTAssertEqual(try heap.committed(of: "Card Table"), 8 * MiB / cardSize)
            XCTAssertEqual(try heap.committed(of: "Block Offset Table"), 8 * MiB / cardSize)
            // Nothing is live: the full collection shrinks to MinHeapSize (one region), and the
            // uncommit task gives back regions 1...7.
            try heap.fullCollection()
            XCTAssertEqual(heap.regions.map(\.state), [.active] + Array(repeating: .inactive, count: 7))
            XCTAssertEqual(try heap.committed(of: "Card Table"), 8 * MiB / cardSize, "inactive regions stay committed")
            try heap.completeUncommitTask()
            XCTAssertEqual(heap.regions[1].state, .uncommitted)
            XCTAssertEqual(try heap.heap.stats().committed, MiB)
            XCTAssertEqual(try heap.committed(of: "Card Table"), 4 * KiB,
                           "JDK \(jdk): region 0 keeps the page it shares with regions 1..<\(regionsPerPage)")
            XCTAssertEqual(try heap.committed(of: jdk.g1MarkBitmaps[0]), 16 * KiB,
                           "a region owns its 16 KiB of bitmap")
        }
    }

    func testExpansionReactivatesInactiveRegionsBeforeCommittingNewOnes() throws {
        let space = AddressSpace()
        let clock = ManualClock()
        let heap = try makeG1Heap(space, heapSize: 16 * MiB, regionSize: MiB, clock: clock.clock)
        try heap.expand(by: 8 * MiB)
        try heap.fullCollection()
        XCTAssertEqual(heap.count(.inactive), 7)
        try heap.expand(by: 2 * MiB)
        XCTAssertEqual(heap.regions.prefix(9).map(\.state),
                       [.active, .active, .active, .inactive, .inactive, .inactive, .inactive, .inactive, .uncommitted])
        XCTAssertEqual(try heap.heap.stats().committed, 8 * MiB, "nothing new was committed")
        try heap.expand(by: 7 * MiB)
        XCTAssertEqual(heap.count(.active), 10)
        XCTAssertEqual(heap.count(.inactive), 0)
        XCTAssertEqual(try heap.heap.stats().committed, 10 * MiB)
    }

    func testExpandingAFullyExpandedHeapGrowsNothing() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, heapSize: 4 * MiB, regionSize: MiB)
        XCTAssertEqual(try heap.expand(by: 16 * MiB), 4 * MiB, "only as far as the reservation")
        XCTAssertEqual(try heap.expand(by: MiB), 0)
        XCTAssertEqual(heap.log.last, "Did not expand the heap (heap already fully expanded)")
        let error = try XCTUnwrap(assertPageErrorThrown { try heap.expand(by: 0) })
        XCTAssertEqual(error.kind, .invalidArgument(parameter: "size"))
    }

    func testPretouchMakesCommittedMemoryResident() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, heapSize: 64 * MiB, regionSize: MiB, pretouchThreads: 2)
        try heap.expand(by: 4 * MiB)
        let stats = try heap.heap.stats()
        XCTAssertEqual(stats.committed, 4 * MiB)
        XCTAssertEqual(stats.resident, 4 * MiB)
        let bitmap = try heap.table("Prev Bitmap").stats()
        XCTAssertEqual(bitmap.resident, bitmap.committed)
        XCTAssertEqual(bitmap.committed, 4 * MiB / 64)
    }

    func testWithoutPretouchCommittedIsNotResident() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, heapSize: 64 * MiB, regionSize: MiB)
        try heap.expand(by: 4 * MiB)
        XCTAssertEqual(try heap.heap.stats().resident, 0)
    }

    func testPretouchOverTheBudgetLeavesNothingCommitted() throws {
        let space = AddressSpace(budget: CommitBudget(limit: 2 * MiB))
        let heap = try makeG1Heap(space, heapSize: 64 * MiB, regionSize: MiB, pretouchThreads: 2)
        let error = try XCTUnwrap(assertPageErrorThrown { try heap.expand(by: 8 * MiB) })
        XCTAssertEqual(error.kind, .budget)
        XCTAssertEqual(try heap.heap.stats().committed, 0)
        for table in heap.sideTables {
            XCTAssertEqual(try table.region.stats().committed, 0, table.name)
        }
        XCTAssertTrue(heap.regions.allSatisfy { $0.state == .uncommitted })
    }

    /// Under -XX:+UseTransparentHugePages the heap is committed in huge pages: with 1 MiB regions
    /// a 2 MiB page serves two regions, and commits are madvised.
    func testTransparentHugePagesCommitWholeHugePagesWithAdvice() throws {
        let host = HostInfo.current()
        try XCTSkipUnless(host.thpPageSize == 2 * MiB && host.thpMode != "never",
                          "needs transparent huge pages of 2 MiB (mode \(host.thpMode))")
        let space = AddressSpace()
        let heap = try makeG1Heap(space, heapSize: 64 * MiB, regionSize: MiB, transparentHugePages: true)
        XCTAssertEqual(heap.heapPageSize, 2 * MiB)
        try heap.expand(by: MiB)
        XCTAssertEqual(try heap.heap.stats().committed, 2 * MiB)
        XCTAssertTrue(try heap.heap.smaps().vmFlags.contains { $0.split(separator: " ").contains("hg") },
                      "MADV_HUGEPAGE shows as the hg VMA flag")
        XCTAssertEqual(try heap.committed(of: "Card Table"), basePage, "a 128 KiB table stays on base pages")
    }

    /// A disjoint-base heap starts after a no-access prefix in its reservation.
    func testHeapAfterANoAccessPrefix() throws {
        let space = AddressSpace()
        let region = try space.reserve(size: 16 * MiB + 4 * MiB, options: ReserveOptions(name: "Java Heap", align: MiB))
        let heap = G1Heap(jdk: .v17, heap: region, regionSize: MiB, sideTables: [], pretouchThreads: nil,
                          transparentHugePages: false, heapOffset: 4 * MiB)
        XCTAssertEqual(heap.maxRegions, 16)
        try heap.expand(by: 2 * MiB)
        try heap.allocate(size: 4 * KiB)
        XCTAssertEqual(try region.stats(offset: 0, length: 4 * MiB).committed, 0, "the prefix stays reserved")
        XCTAssertEqual(try region.stats(offset: 4 * MiB, length: 2 * MiB).committed, 2 * MiB)
        XCTAssertEqual(try region.stats(offset: 5 * MiB, length: MiB).resident, 4 * KiB, "eden is region 1, the top of the free list")
    }

    func testPreferredNodeIsRoundRobinByRegion() throws {
        let space = AddressSpace()
        let heap = try makeG1Heap(space, heapSize: 16 * MiB, regionSize: MiB, numaNodes: 4)
        try heap.expand(by: 6 * MiB)
        XCTAssertEqual(heap.regions.prefix(7).map(\.preferredNode), [0, 1, 2, 3, 0, 1, nil])
    }
}

/// Returns the PageError `body` throws, failing the test if it throws nothing or something else.
func assertPageErrorThrown(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) -> PageError? {
    do {
        try body()
        XCTFail("expected a PageError", file: file, line: line)
    } catch let error as PageError {
        return error
    } catch {
        XCTFail("expected a PageError, got \(error)", file: file, line: line)
    }
    return nil
}
