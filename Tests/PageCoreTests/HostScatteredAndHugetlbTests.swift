import XCTest
@testable import PageCore

/// Host-only corners of the model's features: scattered touches and hugetlb pools.
final class HostScatteredAndHugetlbTests: PageCoreTestCase {
    func testScatteredTouchesAreChargedPageByPage() throws {
        let region = try committedRegion(64 * MiB)
        space.budget = CommitBudget(limit: 64 * pageSize)
        let pages = [0, 3, 4, 5, 9000, 16383]
        try region.touch(pages: pages + [3])
        XCTAssertEqual(space.chargedBytes, pages.count * pageSize, "only the pages touched, not the 64 MiB between them")
        XCTAssertEqual(try region.stats().resident, pages.count * pageSize)
        let states = try region.pageStates()
        XCTAssertEqual(pages.filter { states[$0] == .resident }, pages)
        assertPageError(.budget) { try region.touch(pages: Array(stride(from: 100, to: 200, by: 1))) }
        XCTAssertEqual(try region.stats().resident, pages.count * pageSize, "nothing touched past the budget")
    }

    func testHugetlbRegionTakesPagesFromThePool() throws {
        let pools = Host.readHugetlbPools()
        guard let (size, pool) = pools.sorted(by: { $0.key < $1.key }).first(where: { $0.value.free >= 2 }) else {
            throw XCTSkip("no hugetlb pool with 2 free pages on this host (nr_hugepages: \(pools.sorted { $0.key < $1.key }.map { "\(ByteSize.format($0.key)) \($0.value.total)" }.joined(separator: ", ")))")
        }
        let region = try space.reserve(size: 2 * size, options: ReserveOptions(name: "pooled", hugePageSize: size))
        XCTAssertEqual(Host.readHugetlbPools()[size]?.free, pool.free, "reserved at mmap, taken at fault")
        try region.touch(offset: 0, length: size)
        XCTAssertEqual(try region.stats().huge, size)
        XCTAssertEqual(try region.smaps().kernelPageSize, size)
    }
}
