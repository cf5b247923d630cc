import LuaBridge
import PageCore
import XCTest
@testable import PageLabLua

/// `pl.shared`, `region:map_view` and `pl.process{pss = true}` through Lua, on the host.
final class SharedMemoryBindingTests: XCTestCase {
    func results(_ workbench: Workbench) -> [String: LuaValue] {
        Dictionary(workbench.session.results.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
    }

    func testTwoViewsOfOneMemory() throws {
        let before = processMappings()
        let (workbench, error) = try runScenario("""
            local mem <close> = pl.shared("8m", { name = "heap" })
            local a <close> = pl.reserve("16m", { name = "a" })
            local b <close> = pl.reserve("16m", { name = "b" })
            mem:commit()
            a:map_view(mem)
            b:map_view(mem, { offset = "4m", length = "4m", at = "8m" })
            local p0 = pl.process{ pss = true }
            a:touch(0, "8m")
            b:touch("8m", "4m")
            local p1 = pl.process{ pss = true }
            pl.record("a", a:stats().resident)
            pl.record("b", b:stats().resident)
            pl.record("shmem", p1.rss_shmem - p0.rss_shmem)
            pl.record("pss", p1.pss - p0.pss)
            pl.record("allocated", mem:allocated())
            pl.record("committed", mem.committed)
            pl.record("described", tostring(mem))
            mem:uncommit(0, "4m")
            pl.record("allocated_after", mem:allocated())
            pl.record("b_after", b:stats().resident)
            mem:close()
            mem:close()
            pl.record("closed", tostring(mem))
            pl.record("a_kept", a:stats().resident)
            """)
        XCTAssertNil(error)
        let r = results(workbench)
        XCTAssertEqual(r["a"]?.integerValue, 8 << 20)
        XCTAssertEqual(r["b"]?.integerValue, 4 << 20)
        XCTAssertEqual(r["shmem"]?.integerValue, 12 << 20, "RSS counts the 4M both views map twice")
        XCTAssertEqual(Double(r["pss"]?.integerValue ?? 0), Double(8 << 20), accuracy: Double(2 << 20), "PSS counts the 8M once")
        XCTAssertEqual(r["allocated"]?.integerValue, 8 << 20)
        XCTAssertEqual(r["committed"]?.integerValue, 8 << 20)
        XCTAssertEqual(r["described"]?.stringValue, "shared memory 'heap' (8M, 8M committed)")
        XCTAssertEqual(r["allocated_after"]?.integerValue, 4 << 20)
        XCTAssertEqual(r["b_after"]?.integerValue, 4 << 20, "b maps the half that is left")
        XCTAssertEqual(r["closed"]?.stringValue, "shared_memory (closed)")
        XCTAssertEqual(r["a_kept"]?.integerValue, 4 << 20, "a view keeps the pages of a closed memory")
        workbench.session.releaseAll()
        XCTAssertEqual(processMappings().subtracting(before), [], "nothing left mapped")
        XCTAssertTrue(workbench.session.space.sharedMemories.isEmpty)
    }

    func testBadArgumentsNameTheValue() throws {
        for (script, message) in [
            ("pl.shared('1001')", "size 1001 is not a multiple of the page size 4096"),
            ("local r = pl.reserve('4m'); r:map_view({})", "shared_memory expected"),
            ("local m = pl.shared('4m'); local r = pl.reserve('4m'); r:map_view(m, { offset = '2m', length = '4m' })",
             "range 0x200000+0x400000 is outside shared memory"),
            ("local m = pl.shared('4m'); local r = pl.reserve('4m'); r:map_view(m); r:touch()",
             "which is not committed (commit it first)"),
            ("local m = pl.shared('4m'); m:close(); m:commit()", "attempt to use a closed shared_memory"),
            ("local m = pl.shared('4m', { nam = 'x' })", "nam"),
        ] {
            let (workbench, error) = try runScenario(script)
            let text = "\(error.map { String(describing: $0) } ?? "no error")"
            XCTAssertTrue(text.contains(message), "\(script): \(text)")
            workbench.session.releaseAll()
            XCTAssertTrue(workbench.session.space.sharedMemories.isEmpty, script)
        }
    }
}
