import XCTest
@testable import PageCore

final class PageWalkTests: PageCoreTestCase {
    func testAddressesSplitAsTheWalkerReadsThem() throws {
        // Seed 001 says 0x600000000 has PGD index 12 and PUD index 0. It is 24 GiB: below the
        // first 512 GiB (PGD 0), in its 25th GiB (PUD 24).
        let heap = try VirtualAddressIndexes(address: 0x6_0000_0000, levels: 4)
        XCTAssertEqual(heap.indexes, [0, 24, 0, 0])
        XCTAssertEqual(heap.offset, 0)
        XCTAssertEqual(heap.names, ["pgd", "pud", "pmd", "pte"])

        let top = try VirtualAddressIndexes(address: 0x7fff_ffff_f123, levels: 4)
        XCTAssertEqual(top.indexes, [255, 511, 511, 511])
        XCTAssertEqual(top.offset, 0x123)
        XCTAssertEqual(top.offset(in: .size2M), 0x1f_f123)

        let kernel = try VirtualAddressIndexes(address: 0xffff_8880_0000_0000, levels: 4)
        XCTAssertEqual(kernel.indexes, [273, 0, 0, 0])

        let five = try VirtualAddressIndexes(address: 0x00ff_8000_0040_2abc, levels: 5)
        XCTAssertEqual(five.names, ["pgd", "p4d", "pud", "pmd", "pte"])
        XCTAssertEqual(five.indexes, [255, 256, 0, 2, 2])

        // The indexes and offset put back together give the address.
        var random = SplitMix64(seed: 3)
        for _ in 0..<1000 {
            let address = random.next() & (1 << 47 - 1)
            let split = try VirtualAddressIndexes(address: address, levels: 4)
            let rebuilt = split.indexes.enumerated().reduce(UInt64(split.offset)) { sum, level in
                sum | UInt64(level.element) << (12 + 9 * UInt64(3 - level.offset))
            }
            XCTAssertEqual(rebuilt, address)
        }

        let error = assertPageError(.invalidArgument(parameter: "address")) {
            try VirtualAddressIndexes(address: 0x8000_0000_0000, levels: 4)
        }
        XCTAssertEqual(error?.message, "address 0x800000000000 is not canonical for 4-level paging (bits 63-47 differ)")
        XCTAssertNoThrow(try VirtualAddressIndexes(address: 0x8000_0000_0000, levels: 5))
    }

    func testHostWalkFindsWrittenZeroAndUntouchedPages() throws {
        let region = try committedRegion(4 * pageSize, name: "walk")
        try region.touch(offset: 0, length: pageSize)
        try region.touch(offset: pageSize, length: pageSize, options: TouchOptions(write: false))

        let written = try region.walk(offset: 0x123)
        XCTAssertEqual(written.indexes.address, UInt64(region.base) + 0x123)
        XCTAssertTrue(written.present)
        XCTAssertEqual(written.pageSize, .size4K)
        XCTAssertEqual(written.leaf, "pte")
        XCTAssertTrue(written.exclusive)
        XCTAssertFalse(written.zeroPage)

        let read = try region.walk(offset: pageSize)
        XCTAssertTrue(read.present)
        XCTAssertFalse(read.exclusive, "the zero page is shared")

        let untouched = try region.walk(offset: 2 * pageSize)
        XCTAssertFalse(untouched.present)
        XCTAssertNil(untouched.frame)
        XCTAssertNil(untouched.pageSize)

        guard HostInfo.current().pagemapPFNs.available, HostInfo.current().kpageflags.available else {
            throw XCTSkip("pagemap hides physical frames here (needs CAP_SYS_ADMIN): no frames or kpageflags to check")
        }
        XCTAssertEqual(written.physicalAddress.map { $0 & 0xFFF }, 0x123)
        XCTAssertTrue(written.frameFlagNames.contains("ANON"), "\(written.frameFlagNames)")
        XCTAssertTrue(read.zeroPage)
        XCTAssertTrue(read.frameFlagNames.contains("ZERO_PAGE"))
        XCTAssertNotEqual(written.frame, read.frame)
    }

    func testTransparentHugePageIsMappedByAPMD() throws {
        let info = HostInfo.current()
        guard info.thpMode != "never", info.thpMode != "unsupported", info.pagemapPFNs.available else {
            throw XCTSkip("needs transparent huge pages (here: \(info.thpMode)) and visible frames")
        }
        let hugePage = info.thpPageSize
        let region = try space.reserve(size: 2 * hugePage, options: ReserveOptions(name: "thp", align: hugePage))
        try region.commit(offset: 0, length: region.size)
        try region.advise(offset: 0, length: region.size, .hugepage)
        try region.touch(offset: 0, length: region.size)
        guard try region.stats().huge == region.size else { throw XCTSkip("the kernel found no free 2 MiB pages") }
        let head = try region.walk(offset: 0)
        XCTAssertEqual(head.pageSize, .size2M)
        XCTAssertEqual(head.leaf, "pmd")
        XCTAssertTrue(head.frameFlagNames.contains("THP"))
        // One PMD maps 512 physically contiguous frames.
        let fifth = try region.walk(offset: 5 * pageSize + 7)
        XCTAssertEqual(fifth.frame, head.frame.map { $0 + 5 })
        XCTAssertEqual(fifth.physicalAddress, head.physicalAddress.map { $0 + UInt64(5 * pageSize + 7) })
    }

    func testWalkOutsideOrAfterCloseIsAnError() throws {
        let region = try committedRegion(pageSize, name: "small")
        let error = assertPageError(.invalidArgument(parameter: "offset")) { try region.walk(offset: pageSize) }
        XCTAssertEqual(error?.message, "offset \(hex(pageSize)) is outside region 'small' (size \(hex(pageSize)))")
        region.close()
        assertPageError(.closed) { try region.walk(offset: 0) }
    }
}
