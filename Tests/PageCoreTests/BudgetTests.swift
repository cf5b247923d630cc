import XCTest
@testable import PageCore

final class BudgetTests: PageCoreTestCase {
    func testTouchOverTheBudgetTouchesNothing() throws {
        space.budget = CommitBudget(limit: 16 * MiB)
        let region = try committedRegion(64 * MiB)
        let maps = mappings(of: region)
        let error = assertPageError(.budget) { try region.touch(offset: 0, length: region.size) }
        XCTAssertEqual(error?.message, "commit budget exceeded: touch of 64M in region 'heap' would bring PageLab to 64M resident, over the budget of 16M (set --budget to change it)")
        XCTAssertEqual(try region.stats().resident, 0)
        XCTAssertEqual(mappings(of: region), maps)
        for advice in [Advice.populateWrite, .populateRead, .collapse] {
            assertPageError(.budget) { try region.advise(offset: 0, length: region.size, advice) }
        }
        assertPageError(.budget) { try region.lock(offset: 0, length: region.size) }
        XCTAssertEqual(try region.stats().resident, 0)
    }

    func testChargesAddUpAcrossRegionsAndAreReleased() throws {
        space.budget = CommitBudget(limit: 16 * MiB)
        let a = try committedRegion(16 * MiB, name: "a")
        let b = try committedRegion(16 * MiB, name: "b")
        _ = try a.touch(offset: 0, length: 8 * MiB)
        _ = try a.touch(offset: 0, length: 8 * MiB)  // already charged
        _ = try b.touch(offset: 0, length: 8 * MiB)
        let error = assertPageError(.budget) { try b.touch(offset: 8 * MiB, length: pageSize) }
        XCTAssertEqual(error?.message, "commit budget exceeded: touch of 4K in region 'b' would bring PageLab to 16.0M resident, over the budget of 16M (set --budget to change it)")
        _ = try a.uncommit(offset: 0, length: 4 * MiB)
        _ = try b.touch(offset: 8 * MiB, length: 4 * MiB)
        _ = try b.advise(offset: 0, length: 4 * MiB, .dontneed)
        _ = try b.touch(offset: 12 * MiB, length: 4 * MiB)
        a.close()
        _ = try b.touch(offset: 0, length: 4 * MiB)
        XCTAssertEqual(space.chargedBytes, 16 * MiB)
        XCTAssertEqual(try b.stats().resident, 16 * MiB)
    }

    func testTouchOfUncommittedMemoryIsNotCharged() throws {
        space.budget = CommitBudget(limit: 16 * MiB)
        let region = try space.reserve(size: 64 * MiB, options: ReserveOptions(name: "heap"))
        assertPageError(.fault) { try region.touch(offset: 0, length: region.size) }
        XCTAssertEqual(space.chargedBytes, 0)
    }

    func testLiveFloorApplies() throws {
        let budget = CommitBudget(limit: 1 << 50)
        XCTAssertEqual(budget.reserve, max(2 * GiB, HostInfo.current().memTotal / 10))
        let error = assertPageError(.budget) {
            try budget.check(charge: 2 * GiB, charged: 0, available: budget.reserve + GiB, operation: "touch of 2G in region 'heap'")
        }
        XCTAssertEqual(error?.message, "commit budget exceeded: touch of 2G in region 'heap' needs 2G more, but MemAvailable is \(ByteSize.format(budget.reserve + GiB)) and \(ByteSize.format(budget.reserve)) of it must stay free")
        XCTAssertNoThrow(try budget.check(charge: GiB, charged: 0, available: budget.reserve + GiB, operation: "touch"))
    }

    func testDefaultBudgetKeepsTheReserveFree() {
        let budget = CommitBudget.standard()
        let memory = HostInfo.current()
        XCTAssertFalse(budget.isExplicit)
        XCTAssertLessThanOrEqual(budget.limit, memory.memAvailable - budget.reserve + 256 * MiB)
        XCTAssertGreaterThan(budget.limit, 0)
    }
}
