import XCTest
@testable import PageCore

/// A region's footprint for the TLB model follows the page sizes the kernel mapped it with.
final class TLBRegionTests: PageCoreTestCase {
    func testSmallPageRegionIsOneExtentOf4KPages() throws {
        let region = try committedRegion(8 * MiB)
        try region.touch(offset: 0, length: 2 * MiB)
        let footprint = try region.tlbFootprint()
        XCTAssertEqual(footprint.extents, [TLBExtent(address: UInt64(region.base), length: 8 * MiB, pageSize: .size4K)])
        let part = try region.tlbFootprint(offset: MiB, length: MiB)
        XCTAssertEqual(part.extents, [TLBExtent(address: UInt64(region.base) + UInt64(MiB), length: MiB, pageSize: .size4K)])
        assertPageError(.invalidArgument(parameter: "offset")) { try region.tlbFootprint(offset: 100, length: 4096) }
    }

    func testHugePagesBecome2MExtents() throws {
        let info = HostInfo.current()
        guard info.thpMode != "never", info.thpMode != "unsupported" else {
            throw XCTSkip("transparent huge pages are \(info.thpMode) on this host")
        }
        let region = try space.reserve(size: 8 * MiB, options: ReserveOptions(name: "thp", align: 2 * MiB))
        try region.commit(offset: 0, length: region.size)
        try region.advise(offset: 0, length: 4 * MiB, .hugepage)
        try region.advise(offset: 4 * MiB, length: 4 * MiB, .nohugepage)
        try region.touch(offset: 0, length: region.size)
        guard try region.stats().huge == 4 * MiB else { throw XCTSkip("the kernel found no free 2 MiB pages") }
        let base = UInt64(region.base)
        let footprint = try region.tlbFootprint()
        XCTAssertEqual(footprint.extents, [TLBExtent(address: base, length: 4 * MiB, pageSize: .size2M),
                                           TLBExtent(address: base + UInt64(4 * MiB), length: 4 * MiB, pageSize: .size4K)])
        // A scan misses once per page it maps: 2 huge pages and 1024 small ones.
        let scan = try TLBSimulator.simulate(TLBWorkload(footprint: footprint, pattern: .sequential(stride: 4096), accesses: 2048))
        XCTAssertEqual(scan.bySize[.size2M]?.walks, 2)
        XCTAssertEqual(scan.bySize[.size4K]?.walks, 1024)
        let middle = try region.tlbFootprint(offset: 2 * MiB, length: 4 * MiB)
        XCTAssertEqual(middle.bytes(in: .size2M), 2 * MiB)
        XCTAssertEqual(middle.bytes(in: .size4K), 2 * MiB)
    }

    /// A reservation larger than a read of page states: huge pages on both sides of a 1 GiB
    /// boundary stay huge, and the rest merges into 4K extents.
    func testLargeReservationsAreReadInPieces() throws {
        let info = HostInfo.current()
        guard info.thpMode != "never", info.thpMode != "unsupported" else {
            throw XCTSkip("transparent huge pages are \(info.thpMode) on this host")
        }
        let region = try space.reserve(size: 3 * GiB, options: ReserveOptions(name: "large", align: 2 * MiB))
        let base = UInt64(region.base)
        // The first 1 GiB-aligned address at least 4 MiB inside the region.
        let boundary = Int((base + UInt64(4 * MiB + GiB - 1)) / UInt64(GiB) * UInt64(GiB) - base)
        try region.commit(offset: boundary - 4 * MiB, length: 8 * MiB)
        try region.advise(offset: boundary - 4 * MiB, length: 8 * MiB, .hugepage)
        try region.touch(offset: boundary - 4 * MiB, length: 8 * MiB)
        guard try region.stats().huge == 8 * MiB else { throw XCTSkip("the kernel found no free 2 MiB pages") }
        let footprint = try region.tlbFootprint()
        XCTAssertEqual(footprint.extents, [
            TLBExtent(address: base, length: boundary - 4 * MiB, pageSize: .size4K),
            TLBExtent(address: base + UInt64(boundary - 4 * MiB), length: 8 * MiB, pageSize: .size2M),
            TLBExtent(address: base + UInt64(boundary + 4 * MiB), length: 3 * GiB - boundary - 4 * MiB, pageSize: .size4K),
        ])
    }
}
