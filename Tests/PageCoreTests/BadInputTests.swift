import Glibc
import XCTest
@testable import PageCore

/// Bad input gives a clear error, never a crash, and leaves no mapping behind.
final class BadInputTests: PageCoreTestCase {
    func testBadReservations() throws {
        let before = reservations()
        let cases: [(size: Int, options: ReserveOptions, parameter: String, message: String)] = [
            (0, ReserveOptions(), "size", "size 0 is not positive"),
            (-1, ReserveOptions(), "size", "size -1 is not positive"),
            (4097, ReserveOptions(), "size", "size 4097 is not a multiple of the page size 4096"),
            (4 * MiB, ReserveOptions(align: 3000), "align", "align 3000 is not a power of two of at least the page size 4096"),
            (4 * MiB, ReserveOptions(align: 1024), "align", "align 1024 is not a power of two of at least the page size 4096"),
            (4 * MiB, ReserveOptions(at: 0x1000_0001), "at", "address 0x10000001 is not a multiple of the page size 4096"),
            (4 * MiB, ReserveOptions(at: 0x1000_1000, align: 2 * MiB), "at", "address 0x10001000 is not a multiple of align 2097152"),
            (Int.max - 4095, ReserveOptions(align: 2 * MiB), "align", "size 9223372036854771712 plus align 2097152 overflows"),
        ]
        for test in cases {
            let error = assertPageError(.invalidArgument(parameter: test.parameter)) {
                try space.reserve(size: test.size, options: test.options)
            }
            XCTAssertEqual(error?.message, test.message)
        }
        let tooBig = assertPageError(.system(errno: ENOMEM)) { try space.reserve(size: 1 << 50, options: ReserveOptions()) }
        XCTAssertEqual(tooBig?.message, "cannot reserve 1024T: mmap: Cannot allocate memory")
        XCTAssertEqual(reservations(), before)
        XCTAssertTrue(space.regions.isEmpty)
    }

    func testReserveAtAnOccupiedAddress() throws {
        let occupant = try space.reserve(size: 4 * MiB, options: ReserveOptions(name: "occupant"))
        _ = try occupant.commit(offset: 0, length: 2 * MiB)
        let before = reservations().union(mappings(of: occupant))
        let at = occupant.base + UInt(MiB)
        let error = assertPageError(.invalidArgument(parameter: "at")) {
            try space.reserve(size: 4 * MiB, options: ReserveOptions(name: "intruder", at: at))
        }
        XCTAssertEqual(error?.message, "address range \(hex(at))-\(hex(at + UInt(4 * MiB))) is already mapped")
        XCTAssertEqual(reservations().union(mappings(of: occupant)), before)
        XCTAssertEqual(space.regions.map(\.name), ["occupant"])
    }

    func testBadRanges() throws {
        let region = try committedRegion(4 * MiB)
        let maps = mappings(of: region)
        let cases: [(offset: Int, length: Int, parameter: String, message: String)] = [
            (4097, pageSize, "offset", "offset 4097 is not a multiple of the page size 4096"),
            (-4096, pageSize, "offset", "offset -4096 is negative"),
            (4 * MiB, pageSize, "offset", "offset 0x400000 is outside region 'heap' (size 0x400000)"),
            (0, 0, "length", "length 0 is not positive"),
            (0, 100, "length", "length 100 is not a multiple of the page size 4096"),
            (2 * MiB, 4 * MiB, "length", "range 0x200000+0x400000 is outside region 'heap' (size 0x400000)"),
            (pageSize, Int.max - 4095, "length", "range 0x1000+0x7ffffffffffff000 is outside region 'heap' (size 0x400000)"),
        ]
        for test in cases {
            let operations: [(String, () throws -> Void)] = [
                ("commit", { _ = try region.commit(offset: test.offset, length: test.length) }),
                ("uncommit", { _ = try region.uncommit(offset: test.offset, length: test.length) }),
                ("touch", { _ = try region.touch(offset: test.offset, length: test.length) }),
                ("protect", { _ = try region.protect(offset: test.offset, length: test.length, .r) }),
                ("advise", { _ = try region.advise(offset: test.offset, length: test.length, .dontneed) }),
                ("lock", { _ = try region.lock(offset: test.offset, length: test.length) }),
                ("unlock", { _ = try region.unlock(offset: test.offset, length: test.length) }),
                ("stats", { _ = try region.stats(offset: test.offset, length: test.length) }),
                ("pageStates", { _ = try region.pageStates(offset: test.offset, length: test.length) }),
            ]
            for (name, operation) in operations {
                let error = assertPageError(.invalidArgument(parameter: test.parameter), operation)
                XCTAssertEqual(error?.message, test.message, name)
            }
        }
        XCTAssertEqual(mappings(of: region), maps)
    }

    func testBadTouchOptions() throws {
        let region = try committedRegion(4 * MiB)
        let cases: [(TouchOptions, String, String)] = [
            (TouchOptions(stride: 0), "stride", "stride 0 is not positive"),
            (TouchOptions(stride: -4096), "stride", "stride -4096 is not positive"),
            (TouchOptions(threads: 0), "threads", "threads 0 is not between 1 and 256"),
            (TouchOptions(threads: 257), "threads", "threads 257 is not between 1 and 256"),
        ]
        for (options, parameter, message) in cases {
            let error = assertPageError(.invalidArgument(parameter: parameter)) {
                try region.touch(offset: 0, length: region.size, options: options)
            }
            XCTAssertEqual(error?.message, message)
        }
        XCTAssertEqual(try region.stats().resident, 0)
    }

    func testCloseTwiceAndUseAfterClose() throws {
        let region = try committedRegion(4 * MiB)
        let before = reservations()
        region.close()
        region.close()
        XCTAssertTrue(region.isClosed)
        XCTAssertTrue(mappings(of: region).isEmpty)
        XCTAssertTrue(space.regions.isEmpty)
        let operations: [() throws -> Void] = [
            { _ = try region.commit(offset: 0, length: pageSize) },
            { _ = try region.touch(offset: 0, length: pageSize) },
            { _ = try region.advise(offset: 0, length: pageSize, .hugepage) },
            { _ = try region.stats() },
            { _ = try region.pageStates(offset: 0, length: pageSize) },
        ]
        for operation in operations {
            XCTAssertEqual(assertPageError(.closed, operation)?.message, "attempt to use a closed region 'heap'")
        }
        XCTAssertTrue(reservations().isSubset(of: before))
    }

    func testOperationsThatNeedCommittedMemory() throws {
        let region = try space.reserve(size: 4 * MiB, options: ReserveOptions(name: "heap"))
        _ = try region.commit(offset: 0, length: MiB)
        let maps = mappings(of: region)
        let protect = assertPageError(.system(errno: EINVAL)) { _ = try region.protect(offset: 0, length: 2 * MiB, .r) }
        XCTAssertEqual(protect?.message, "cannot protect region 'heap' range 0x0+0x200000: 0x100000+0x100000 is not committed")
        let populate = assertPageError(.system(errno: EINVAL)) {
            try region.advise(offset: MiB, length: MiB, .populateWrite)
        }
        XCTAssertEqual(populate?.message, "cannot advise populate_write on region 'heap' range 0x100000+0x100000: 0x100000+0x100000 is not committed")
        let lock = assertPageError(.system(errno: EINVAL)) { _ = try region.lock(offset: 0, length: 4 * MiB) }
        XCTAssertEqual(lock?.message, "cannot lock region 'heap' range 0x0+0x400000: 0x100000+0x300000 is not committed")
        XCTAssertEqual(mappings(of: region), maps)
        XCTAssertEqual(try region.stats().resident, 0)
    }

    func testPopulateOfProtectedMemoryReportsTheKernelError() throws {
        let region = try committedRegion(2 * MiB)
        _ = try region.protect(offset: 0, length: MiB, .none)
        let error = assertPageError(.system(errno: EINVAL)) {
            try region.advise(offset: 0, length: 2 * MiB, .populateRead)
        }
        XCTAssertEqual(error?.message, "cannot advise populate_read on region 'heap' range 0x0+0x200000: madvise (range protection: none, rw): Invalid argument")
    }

    func testCommitBeyondTheKernelsCommitLimitKeepsTheReservation() throws {
        let huge = 4 * HostInfo.current().memTotal / GiB * GiB
        let region = try space.reserve(size: huge, options: ReserveOptions(name: "huge"))
        let maps = mappings(of: region)
        let error = assertPageError(.system(errno: ENOMEM)) { _ = try region.commit(offset: 0, length: huge) }
        XCTAssertEqual(error?.message, "cannot commit region 'huge' range 0x0+\(hex(huge)): mmap: Cannot allocate memory")
        XCTAssertEqual(mappings(of: region), maps)
        XCTAssertEqual(try region.stats().committed, 0)
    }
}
