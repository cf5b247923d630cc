import XCTest
@testable import PageCore

final class RegionTests: PageCoreTestCase {
    /// 30 MiB: every third page written, then [20M, 30M) read. Exact counts, and resident agrees
    /// with the kernel's own Rss for the region's VMAs.
    func testGroundTruthAgainstSmaps() throws {
        let region = try committedRegion(30 * MiB)
        let pages = region.size / pageSize
        _ = try region.touch(offset: 0, length: region.size, options: TouchOptions(write: true, stride: 3 * pageSize))
        _ = try region.touch(offset: 20 * MiB, length: 10 * MiB, options: TouchOptions(write: false))

        let written = (0..<pages).filter { $0 % 3 == 0 }.count
        let firstRead = 20 * MiB / pageSize
        let zero = (firstRead..<pages).filter { $0 % 3 != 0 }.count
        let stats = try region.stats()
        XCTAssertEqual(stats.size, 30 * MiB)
        XCTAssertEqual(stats.committed, 30 * MiB)
        XCTAssertEqual(stats.resident, written * pageSize)
        XCTAssertEqual(stats.zero, zero * pageSize)
        XCTAssertEqual(stats.huge, 0)
        XCTAssertEqual(stats.swapped, 0)
        XCTAssertEqual(stats.locked, 0)
        XCTAssertEqual(stats.nodes.values.reduce(0, +), stats.resident)
        XCTAssertEqual(smapsRss(of: region), stats.resident)

        let states = try region.pageStates()
        XCTAssertEqual(states.count, pages)
        XCTAssertEqual(states.filter { $0 == .resident }.count, written)
        XCTAssertEqual(states.filter { $0 == .zero }.count, zero)
        XCTAssertEqual(states.filter { $0 == .committed }.count, pages - written - zero)
    }

    func testWriteTouchKeepsContents() throws {
        let region = try committedRegion(64 * KiB)
        let bytes = UnsafeMutablePointer<UInt8>(bitPattern: region.base)!
        bytes[0] = 42
        bytes[pageSize + 3] = 7
        _ = try region.touch(offset: 0, length: region.size, options: TouchOptions(stride: 1))
        XCTAssertEqual(bytes[0], 42)
        XCTAssertEqual(bytes[pageSize + 3], 7)
        _ = try region.commit(offset: 0, length: region.size)
        XCTAssertEqual(bytes[0], 42, "committing twice must not replace memory")
    }

    func testOpResultCountsFaults() throws {
        let region = try committedRegion(4 * MiB)
        let result = try region.touch(offset: 0, length: region.size)
        XCTAssertGreaterThan(result.ns, 0)
        XCTAssertGreaterThanOrEqual(result.minflt, region.size / pageSize - 16)
        XCTAssertEqual(result.majflt, 0)
    }

    func testUncommitDropsResident() throws {
        let region = try committedRegion(16 * MiB)
        _ = try region.touch(offset: 0, length: region.size)
        XCTAssertEqual(try region.stats().resident, 16 * MiB)
        _ = try region.uncommit(offset: 8 * MiB, length: 8 * MiB)
        XCTAssertEqual(try region.stats(), PageStats(size: 16 * MiB, committed: 8 * MiB, resident: 8 * MiB, nodes: [0: 8 * MiB]))
        _ = try region.uncommit(offset: 0, length: region.size)
        XCTAssertEqual(try region.stats(), PageStats(size: 16 * MiB))
        XCTAssertEqual(smapsRss(of: region), 0)
        XCTAssertEqual(try region.pageStates(), Array(repeating: .reserved, count: region.size / pageSize))
    }

    func testLockGivesLockedEqualToResidentOfTheRange() throws {
        let region = try committedRegion(16 * MiB)
        _ = try region.lock(offset: 4 * MiB, length: 8 * MiB)
        let locked = try region.stats(offset: 4 * MiB, length: 8 * MiB)
        XCTAssertEqual(locked.resident, 8 * MiB, "mlock populates")
        XCTAssertEqual(locked.locked, locked.resident)
        _ = try region.touch(offset: 0, length: region.size)
        let all = try region.stats()
        XCTAssertEqual(all.resident, 16 * MiB)
        XCTAssertEqual(all.locked, 8 * MiB)
        _ = try region.unlock(offset: 4 * MiB, length: 4 * MiB)
        XCTAssertEqual(try region.stats().locked, 4 * MiB)
    }

    func testStatsOfSubRange() throws {
        let region = try committedRegion(16 * MiB)
        _ = try region.touch(offset: 2 * MiB, length: 4 * MiB)
        XCTAssertEqual(try region.stats(offset: 4 * MiB, length: 4 * MiB).resident, 2 * MiB)
        XCTAssertEqual(try region.stats(offset: 0, length: 2 * MiB).resident, 0)
        XCTAssertEqual(try region.stats(offset: 4 * MiB).resident, 2 * MiB)
        XCTAssertEqual(try region.stats(length: 3 * MiB).resident, 1 * MiB)
    }

    func testPageStatesOfMixedRange() throws {
        let region = try space.reserve(size: 8 * pageSize, options: ReserveOptions(name: "mixed"))
        _ = try region.commit(offset: 0, length: 6 * pageSize)
        _ = try region.touch(offset: 0, length: pageSize)
        _ = try region.touch(offset: pageSize, length: pageSize, options: TouchOptions(write: false))
        _ = try region.touch(offset: 3 * pageSize, length: 2 * pageSize)
        _ = try region.protect(offset: 4 * pageSize, length: pageSize, .none)
        XCTAssertEqual(try region.pageStates(),
                       [.resident, .zero, .committed, .resident, .resident, .committed, .reserved, .reserved])
        XCTAssertEqual(try region.pageStates(offset: pageSize, length: 2 * pageSize), [.zero, .committed])
    }

    func testTwoThreadsTouchTheSameAsOne() throws {
        let one = try committedRegion(64 * MiB, name: "one")
        let two = try committedRegion(64 * MiB, name: "two")
        let options = TouchOptions(write: true, stride: 2 * pageSize)
        _ = try one.touch(offset: 4 * MiB, length: 40 * MiB, options: options)
        _ = try two.touch(offset: 4 * MiB, length: 40 * MiB, options: TouchOptions(write: true, stride: 2 * pageSize, threads: 2))
        XCTAssertEqual(try one.stats().resident, 20 * MiB)
        XCTAssertEqual(try two.stats().resident, try one.stats().resident)
        XCTAssertEqual(try two.pageStates(), try one.pageStates())
    }

    func testStrideBeyondTheRangeTouchesItsFirstPage() throws {
        let region = try committedRegion(8 * MiB)
        try region.touch(offset: 0, length: region.size, options: TouchOptions(stride: Int.max, threads: 256))
        XCTAssertEqual(try region.stats().resident, pageSize)
    }

    func testReserveNamesAlignsAndPlaces() throws {
        let first = try space.reserve(size: 4 * MiB, options: ReserveOptions())
        XCTAssertEqual(first.name, "region-1")
        let before = ProcessStats.current().vmSize
        let aligned = try space.reserve(size: 6 * MiB, options: ReserveOptions(name: "aligned", align: 64 * MiB))
        XCTAssertEqual(aligned.base % UInt(64 * MiB), 0)
        XCTAssertEqual(ProcessStats.current().vmSize - before, 6 * MiB, "head and tail trimmed")
        let base = aligned.base
        aligned.close()
        let placed = try space.reserve(size: 2 * MiB, options: ReserveOptions(name: "placed", at: base))
        XCTAssertEqual(placed.base, base)
        XCTAssertEqual(space.regions.map(\.name), ["region-1", "placed"])
        XCTAssertEqual(try placed.stats(), PageStats(size: 2 * MiB))
    }

    func testExecRegionCommitsExecutableMemory() throws {
        let region = try space.reserve(size: 2 * MiB, options: ReserveOptions(name: "code", exec: true))
        _ = try region.commit(offset: 0, length: region.size)
        XCTAssertTrue(mappings(of: region).allSatisfy { $0.line.contains(" rwxp ") })
    }

    func testReleaseAllUnmapsEverything() throws {
        let a = try committedRegion(4 * MiB, name: "a")
        let b = try committedRegion(4 * MiB, name: "b")
        _ = try a.touch(offset: 0, length: a.size)
        space.releaseAll()
        XCTAssertTrue(a.isClosed && b.isClosed)
        XCTAssertTrue(space.regions.isEmpty)
        XCTAssertTrue(mappings(of: a).isEmpty && mappings(of: b).isEmpty)
        space.releaseAll()
    }

    func testAdvisePopulateAndDontneed() throws {
        let region = try committedRegion(8 * MiB)
        _ = try region.advise(offset: 0, length: 4 * MiB, .populateWrite)
        _ = try region.advise(offset: 4 * MiB, length: 4 * MiB, .populateRead)
        var stats = try region.stats()
        XCTAssertEqual(stats.resident, 4 * MiB)
        XCTAssertEqual(stats.zero, 4 * MiB)
        _ = try region.advise(offset: 0, length: 2 * MiB, .dontneed)
        stats = try region.stats()
        XCTAssertEqual(stats.resident, 2 * MiB)
        for advice in [Advice.willneed, .cold, .pageout, .free] {
            _ = try region.advise(offset: 0, length: region.size, advice)
        }
    }

    func testProcessStats() throws {
        let before = ProcessStats.current()
        let region = try committedRegion(32 * MiB)
        _ = try region.touch(offset: 0, length: region.size)
        let after = ProcessStats.current()
        XCTAssertGreaterThanOrEqual(after.rss - before.rss, 30 * MiB)
        XCTAssertGreaterThanOrEqual(after.vmSize - before.vmSize, 32 * MiB)
        XCTAssertGreaterThanOrEqual(after.minflt - before.minflt, region.size / pageSize - 16)
        XCTAssertGreaterThan(after.vmPTE, 0)
    }
}
