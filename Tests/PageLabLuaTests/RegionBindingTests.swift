import LuaBridge
import PageCore
import XCTest
@testable import PageLabLua

final class RegionBindingTests: XCTestCase {
    /// Each bad call is a clear error in Lua's words, never a crash, and leaves no mapping behind.
    func testBadInputIsAClearErrorAndLeavesNoMapping() throws {
        let page = HostInfo.pageSize
        let cases: [(code: String, message: String)] = [
            ("pl.reserve('8x')", #"bad argument #1 to 'reserve' (invalid size "8x" (expected a number with an optional k, m, g or t suffix))"#),
            ("pl.reserve(-1)", "bad argument #1 to 'reserve' (invalid size -1 (must not be negative))"),
            ("pl.reserve('99999999t')", #"bad argument #1 to 'reserve' (invalid size "99999999t" (too large))"#),
            ("pl.reserve({})", "bad argument #1 to 'reserve' (size expected, got table)"),
            ("pl.reserve('1m', { nmae = 'x' })", "bad argument #2 to 'reserve' (unknown option 'nmae' (valid: name, at, align, exec, hugetlb))"),
            ("local r <close> = pl.reserve('1m'); r:commit(1, \(page))", "bad argument #1 to 'commit' (offset 1 is not a multiple of the page size \(page))"),
            ("local r <close> = pl.reserve('1m'); r:commit(0, '2m')", "bad argument #2 to 'commit' (range 0x0+0x200000 is outside region 'region-1' (size 0x100000))"),
            ("local r <close> = pl.reserve('1m'); r:commit(true)", "bad argument #1 to 'commit' (size expected, got boolean)"),
            ("local r <close> = pl.reserve('1m'); r:protect(0, '4k', 'wx')", "bad argument #3 to 'protect' (invalid protection 'wx' (expected one of: none, r, rw, rx, rwx))"),
            ("local r <close> = pl.reserve('1m'); r:advise(0, '4k', 'huge')", "bad argument #3 to 'advise' (invalid advice 'huge' (expected one of: hugepage, nohugepage, dontneed, free, populate_read, populate_write, collapse, willneed, cold, pageout))"),
            ("local r = pl.reserve('1m'); r:close(); r:close(); r:commit()", "attempt to use a closed region"),
            ("local r <close> = pl.reserve('1m'); pl.reserve('1m', { at = r.base })", "bad argument #2 to 'reserve' (address range"),
            ("local r <close> = pl.reserve('1m', { name = 'heap' }); r:touch(0, '4k')", "SIGSEGV at region 'heap' offset 0x0"),
            ("local r <close> = pl.reserve('64m', { name = 'big' }); r:commit(); r:touch()", "commit budget exceeded"),
        ]
        // The first pass lets the process make what it makes once (thread stacks, malloc arenas);
        // the second compares the mappings before and after each case.
        for pass in 0..<2 {
            for (code, message) in cases {
                let before = processMappings()
                let (workbench, error) = try runScenario(code, budget: CommitBudget(limit: 16 << 20))
                XCTAssertTrue(error?.shown.contains(message) ?? false, "\(code)\n  got: \(error?.shown ?? "no error")\n  expected: \(message)")
                XCTAssertEqual(workbench.session.space.regions.count, 0, "still open after: \(code)")
                workbench.session.releaseAll()
                workbench.vm.collectGarbage()
                if pass == 1 { XCTAssertEqual(processMappings().subtracting(before), [], "left mapped by: \(code)") }
            }
        }
    }

    func testStatisticsThroughLuaMatchGroundTruth() throws {
        let page = HostInfo.pageSize
        let (workbench, error) = try runScenario("""
            local r <close> = pl.reserve('30m', { name = 'truth' })
            r:commit(0, '24m')
            for offset = 0, pl.size('12m') - 1, 3 * pl.page_size() do r:touch(offset, pl.page_size()) end
            r:touch('16m', '4m', { write = false })
            pl.record('all', r:stats())
            pl.record('part', r:stats(0, '12m'))
            """)
        XCTAssertNil(error)
        let results = Dictionary(workbench.session.results.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        let written = (12 << 20) / page / 3 * page
        XCTAssertEqual(results["all"]?["size"], .integer(30 << 20))
        XCTAssertEqual(results["all"]?["committed"], .integer(24 << 20))
        XCTAssertEqual(results["all"]?["resident"], .integer(written))
        XCTAssertEqual(results["all"]?["zero"], .integer(4 << 20))
        XCTAssertEqual(results["part"]?["resident"], .integer(written))
        XCTAssertEqual(results["part"]?["zero"], .integer(0))
        XCTAssertEqual(results["all"]?["nodes"]?["0"], .integer(written))
    }

    /// The kernel's own view agrees with the page scan, and tells what only smaps knows.
    func testSmapsAgreesWithTheScanAndAddsTheKernelsFacts() throws {
        let (workbench, error) = try runScenario("""
            local r <close> = pl.reserve('8m', { name = 'k', align = '2m' })
            r:commit(0, '4m')
            r:touch(0, '1m')
            r:lock('2m', '1m')
            pl.record('stats', r:stats())
            pl.record('smaps', r:smaps())
            """)
        XCTAssertNil(error)
        let results = Dictionary(workbench.session.results.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        let smaps = try XCTUnwrap(results["smaps"])
        XCTAssertEqual(smaps["rss"], results["stats"]?["resident"])
        XCTAssertEqual(smaps["locked"], .integer(1 << 20))
        XCTAssertEqual(results["stats"]?["locked"], .integer(1 << 20))
        XCTAssertEqual(smaps["kernel_page_size"], .integer(HostInfo.pageSize))
        // committed | locked | committed | reserved: the kernel split the reservation in four VMAs.
        XCTAssertEqual(smaps["vmas"], .integer(4))
        guard case .table(let flags, _)? = smaps["vm_flags"] else { return XCTFail("no vm_flags") }
        XCTAssertTrue(flags[1].stringValue?.contains("lo") ?? false, "\(flags)")
    }

    func testOperationsAreLoggedAndSnapshotsDiff() throws {
        let (workbench, error) = try runScenario("""
            local r <close> = pl.reserve('8m', { name = 'heap' })
            pl.snapshot('a')
            r:commit()
            r:touch(0, '2m')
            pl.snapshot('b')
            local d = pl.diff('a', 'b')
            pl.record('resident', d.regions.heap.resident)
            pl.record('committed', d.regions.heap.committed)
            pl.record('text', tostring(d))
            """)
        XCTAssertNil(error)
        XCTAssertEqual(workbench.session.operations.map(\.operation), ["commit", "touch"])
        XCTAssertEqual(workbench.session.operations[1].result.minflt >= (2 << 20) / HostInfo.pageSize, true)
        let results = Dictionary(workbench.session.results.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        XCTAssertEqual(results["resident"], .integer(2 << 20))
        XCTAssertEqual(results["committed"], .integer(8 << 20))
        XCTAssertTrue(results["text"]?.stringValue?.hasPrefix("heap  committed=+8M resident=+2M") ?? false)
    }

    func testFormatTakesAnyInteger() throws {
        let (workbench, error) = try runScenario("pl.record('f', { pl.format(math.mininteger), pl.format(-5), pl.format(3 << 20) })")
        XCTAssertNil(error)
        XCTAssertEqual(workbench.session.results.first?.value, .table(array: [.string("-8388608.0T"), .string("-5"), .string("3M")], record: [:]))
    }

    func testPageMapPictureShowsEachState() throws {
        let (workbench, error) = try runScenario("""
            local r <close> = pl.reserve('64k')
            r:commit(0, '48k')
            r:touch(0, '16k')
            r:touch('16k', '16k', { write = false })
            pl.record('map', r:map(0, '64k', { width = 16 }))
            """)
        XCTAssertNil(error)
        let map = workbench.session.results.first?.value.stringValue ?? ""
        XCTAssertEqual(map.split(separator: "\n").last, "+0x000000000  ####zzzz----....")
    }
}
