import LuaBridge
import PageCore
import XCTest
@testable import PageLabLua

/// `pagelab.tlb` from Lua: the simulation over regions and extents, page walks, and bad input.
final class TLBModuleTests: XCTestCase {
    func results(_ source: String) throws -> [String: LuaValue] {
        let (workbench, error) = try runScenario("local tlb = require 'pagelab.tlb'\n" + source)
        XCTAssertNil(error, error?.shown ?? "")
        return Dictionary(workbench.session.results.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
    }

    func testSimulationOverExtentsCountsWhatTheModelCounts() throws {
        let results = try results("""
            local scan = tlb.simulate{ extents = { { size = '40m' } }, pattern = 'sequential', accesses = 10240 * 64 }
            pl.record('scan', scan)
            pl.record('text', tostring(scan))
            local huge = tlb.simulate{ extents = { { size = '8g', page = '1g' } }, pattern = 'random', accesses = 1e5, warmup = 1000 }
            pl.record('huge', huge)
            pl.record('mixed', tlb.simulate{ extents = { { size = '6m', page = '4k' }, { size = '8m', page = '2m' } },
                                              pattern = 'strided', accesses = 3584 })
            """)
        let scan = try XCTUnwrap(results["scan"])
        XCTAssertEqual(scan["accesses"], .integer(10240 * 64))
        XCTAssertEqual(scan["walks"], .integer(10240), "one walk per 4K page of a cold scan")
        XCTAssertEqual(scan["l1_hits"], .integer(10240 * 63))
        XCTAssertEqual(scan["footprint"], .integer(40 << 20))
        XCTAssertEqual(scan["reach"]?["l1"]?["4k"], .integer(96 * 4096))
        XCTAssertEqual(results["text"]?.stringValue?.hasPrefix("sequential over 40M (4K pages), 655360 accesses: L1 hits 98.4%"), true,
                       results["text"]?.stringValue ?? "")
        // 8 GiB in 1G pages fits the L1 dTLB's eight 1G entries: nothing misses after warm-up.
        XCTAssertEqual(results["huge"]?["l1_hits"], .integer(100_000))
        XCTAssertEqual(results["huge"]?["walks"], .integer(0))
        XCTAssertEqual(results["mixed"]?["by_page"]?["4k"]?["walks"], .integer(1536))
        XCTAssertEqual(results["mixed"]?["by_page"]?["2m"]?["walks"], .integer(4))
        XCTAssertEqual(results["mixed"]?["footprint_by_page"]?["2m"], .integer(8 << 20))
    }

    func testRegionSimulationUsesItsPageSizesAndPageOverridesThem() throws {
        let results = try results("""
            local r <close> = pl.reserve('16m', { align = '2m' })
            r:commit(); r:advise(0, '16m', 'nohugepage'); r:touch()
            pl.record('actual', tlb.simulate{ region = r, pattern = 'strided', accesses = 4096 })
            pl.record('as2m', tlb.simulate{ region = r, page = '2m', pattern = 'strided', accesses = 4096 })
            pl.record('part', tlb.simulate{ region = r, offset = '4m', length = '4m', pattern = 'strided', accesses = 1024 })
            """)
        XCTAssertEqual(results["actual"]?["walks"], .integer(4096))
        XCTAssertEqual(results["as2m"]?["walks"], .integer(8))
        XCTAssertEqual(results["part"]?["footprint"], .integer(4 << 20))
        XCTAssertEqual(results["part"]?["walks"], .integer(1024))
    }

    func testConfigRoundTripsAndChangesTheModel() throws {
        let results = try results("""
            local config = tlb.config()
            pl.record('config', config)
            config.walk_caches = {}
            pl.record('uncached', tlb.simulate{ extents = { { size = '8m' } }, pattern = 'strided', accesses = 2048, config = config })
            pl.record('default', tlb.simulate{ extents = { { size = '8m' } }, pattern = 'strided', accesses = 2048, config = tlb.config() })
            pl.record('five', tlb.simulate{ extents = { { size = '8m' } }, pattern = 'strided', accesses = 2048, levels = 5 })
            pl.record('reach', tlb.reach{ l1 = { { sizes = { '4k', '2m' }, entries = 64, ways = 64 } } })
            """)
        guard case .table(let stlb, _)? = results["config"]?["stlb"] else { return XCTFail("no stlb in the config") }
        XCTAssertEqual(stlb.first?["entries"], .integer(2048))
        XCTAssertEqual(results["config"]?["walk_caches"]?["pde"]?["ways"], .integer(4))
        XCTAssertEqual(results["uncached"]?["walk_refs"], .integer(4 * 2048))
        XCTAssertEqual(results["default"]?["walk_refs"], .integer(4 + 511 + 3 * (2 + 511)))
        XCTAssertEqual(results["five"]?["walk_refs"], .integer(5 + 511 + 3 * (2 + 511)))
        XCTAssertEqual(results["reach"]?["l1"]?["2m"], .integer(64 << 21))
        XCTAssertEqual(results["reach"]?["l1"]?["1g"], .integer(0), "the given L1 holds no 1G pages")
    }

    func testWalkAndSplitFromLua() throws {
        let results = try results("""
            pl.record('split', tlb.split(0x600000000))
            pl.record('text', tostring(tlb.split(0x600000000)))
            local r <close> = pl.reserve('1m', { name = 'w' })
            r:commit(); r:touch(0, '4k')
            pl.record('touched', r:walk(0x10))
            pl.record('untouched', r:walk('8k'))
            pl.record('same', tlb.walk(r.base + 0x10).address == r.base + 0x10)
            """)
        XCTAssertEqual(results["split"]?["pgd"], .integer(0))
        XCTAssertEqual(results["split"]?["pud"], .integer(24))
        XCTAssertEqual(results["text"], .string("0x600000000: PGD 0 → PUD 24 → PMD 0 → PTE 0, offset 0x0 (4-level paging)"))
        XCTAssertEqual(results["touched"]?["present"], .boolean(true))
        XCTAssertEqual(results["touched"]?["leaf"], .string("pte"))
        XCTAssertEqual(results["touched"]?["offset"], .integer(0x10))
        XCTAssertEqual(results["touched"]?["page_offset"], .integer(0x10))
        XCTAssertEqual(results["untouched"]?["present"], .boolean(false))
        XCTAssertEqual(results["untouched"]?["leaf"], nil)
        XCTAssertEqual(results["same"], .boolean(true))
    }

    /// Each bad call is an error in Lua's words that names the value.
    func testBadInputIsAClearError() throws {
        let cases: [(String, String)] = [
            ("tlb.simulate()", "bad argument #1 to 'simulate' (table expected, got no value)"),
            ("tlb.simulate{ extents = { { size = '1g' } }, patern = 'zipf' }", "unknown option 'patern'"),
            ("tlb.simulate{ extents = { { size = '1g' } }, pattern = 'zipff' }", "option 'pattern': unknown pattern 'zipff' (expected one of: sequential, strided, random, zipf, chase)"),
            ("tlb.simulate{ extents = { { size = '1g', page = '8k' } } }", "option 'extents': extent #1: page 8k is not a page size (expected 4k, 2m or 1g)"),
            ("tlb.simulate{ extents = { { size = '3m', page = '2m' } } }", "length 3145728 is not a multiple of the page size 2M"),
            ("tlb.simulate{ extents = { { size = '1g', at = 0x1000 } }, page = '2m' }", "address 0x1000 is not a multiple of the page size 2M"),
            ("tlb.simulate{ extents = { { size = '1g' } }, accesses = 0 }", "accesses 0 is not positive"),
            ("tlb.simulate{ extents = { { size = '1g' } }, pattern = 'zipf', exponent = -1 }", "Zipf exponent -1.0 is not a positive number"),
            ("tlb.simulate{ extents = { { size = '1g' } }, stride = 0 }", "stride 0 is not between 1 and the footprint"),
            ("tlb.simulate{ extents = { { size = '1g' } }, levels = 3 }", "levels 3 is neither 4 nor 5"),
            ("tlb.simulate{ extents = { { size = '1g' } }, config = { l1 = { { sizes = { '4k' }, entries = 96, ways = 5 } } } }", "L1 4K: ways 5 does not divide entries 96"),
            ("tlb.simulate{ extents = { { size = '1g' } }, config = { l2 = {} } }", "option 'config': unknown key 'l2' (valid: l1, stlb, walk_caches)"),
            ("tlb.simulate{ region = 5 }", "option 'region': region expected, got number"),
            ("tlb.simulate{ pattern = 'random' }", "give either region = <region> or extents = { { size =, page = }, ... }"),
            ("local r <close> = pl.reserve('1m'); tlb.simulate{ region = r, page = '2m' }", "option 'page': the range (1M) is smaller than one 2M page"),
            ("tlb.split(0x800000000000)", "address 0x800000000000 is not canonical for 4-level paging"),
            ("local r <close> = pl.reserve('1m'); r:walk('1m')", "bad argument #1 to 'walk' (offset 0x100000 is outside region 'region-1' (size 0x100000))"),
        ]
        for (code, message) in cases {
            let (workbench, error) = try runScenario("local tlb = require 'pagelab.tlb'\n" + code)
            XCTAssertTrue(error?.shown.contains(message) ?? false, "\(code)\n  got: \(error?.shown ?? "no error")\n  expected: \(message)")
            XCTAssertEqual(workbench.session.space.regions.count, 0, "still open after: \(code)")
        }
    }
}
