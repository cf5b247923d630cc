import XCTest
@testable import PageCore

final class HugePageTests: PageCoreTestCase {
    func testAdvisedAlignedRegionIsHuge() throws {
        let info = HostInfo.current()
        guard info.thpMode != "never", info.thpMode != "unsupported" else {
            throw XCTSkip("transparent huge pages are \(info.thpMode) on this host")
        }
        let hugePage = info.thpPageSize
        let region = try space.reserve(size: 4 * hugePage, options: ReserveOptions(name: "thp", align: hugePage))
        _ = try region.commit(offset: 0, length: region.size)
        _ = try region.advise(offset: 0, length: region.size, .hugepage)
        _ = try region.touch(offset: 0, length: region.size)
        let stats = try region.stats()
        XCTAssertEqual(stats.resident, region.size)
        XCTAssertEqual(stats.huge, region.size)
        XCTAssertEqual(smapsRss(of: region), region.size)
        XCTAssertEqual(Set(try region.pageStates()), [.huge])
    }

    func testReadOfAdvisedRegionMapsTheHugeZeroPage() throws {
        let info = HostInfo.current()
        guard info.thpMode != "never", info.thpMode != "unsupported" else {
            throw XCTSkip("transparent huge pages are \(info.thpMode) on this host")
        }
        let region = try space.reserve(size: 2 * info.thpPageSize, options: ReserveOptions(name: "thp", align: info.thpPageSize))
        _ = try region.commit(offset: 0, length: region.size)
        _ = try region.advise(offset: 0, length: region.size, .hugepage)
        _ = try region.touch(offset: 0, length: region.size, options: TouchOptions(write: false))
        let stats = try region.stats()
        XCTAssertEqual(stats.resident, 0)
        XCTAssertEqual(stats.huge, 0, "the huge zero page counts as zero, not huge")
        XCTAssertEqual(stats.zero, region.size)
    }

    func testHugePageAdviceWidensTheBudgetCharge() throws {
        let hugePage = Host.thpPageSize
        guard Host.thpMode == "madvise" || Host.thpMode == "always", hugePage > pageSize else {
            throw XCTSkip("transparent huge pages are \(Host.thpMode) on this host")
        }
        let region = try space.reserve(size: 2 * hugePage, options: ReserveOptions(name: "thp", align: hugePage))
        _ = try region.commit(offset: 0, length: region.size)
        _ = try region.advise(offset: 0, length: region.size, .hugepage)
        _ = try region.touch(offset: 0, length: pageSize)
        XCTAssertEqual(space.chargedBytes, hugePage)
        _ = try region.advise(offset: 0, length: region.size, .nohugepage)
        _ = try region.touch(offset: hugePage, length: pageSize)
        XCTAssertEqual(space.chargedBytes, hugePage + (Host.thpMode == "always" ? 0 : pageSize))
    }

    func testCollapseMakesHugePagesAndIsChargedInWhole() throws {
        let hugePage = Host.thpPageSize
        guard Host.thpMode != "unsupported", hugePage > pageSize else { throw XCTSkip("no transparent huge pages on this host") }
        let region = try space.reserve(size: 2 * hugePage, options: ReserveOptions(name: "thp", align: hugePage))
        try region.commit(offset: 0, length: region.size)
        try region.touch(offset: 0, length: pageSize)
        try region.touch(offset: hugePage, length: pageSize)
        XCTAssertEqual(try region.stats().huge, 0)
        XCTAssertEqual(space.chargedBytes, 2 * pageSize)
        try region.advise(offset: 0, length: region.size, .collapse)
        XCTAssertEqual(space.chargedBytes, region.size)
        let stats = try region.stats()
        XCTAssertEqual(stats.huge, region.size)
        XCTAssertEqual(stats.resident, region.size)
    }
}
