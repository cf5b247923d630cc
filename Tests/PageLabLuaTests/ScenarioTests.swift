import LuaBridge
import PageCore
import XCTest
@testable import PageLabLua

final class ScenarioTests: XCTestCase {
    let scenario = """
        return {
          description = "test",
          params = {
            { name = "size", type = "size", default = "1m", help = "how much" },
            { name = "threads", type = "integer", default = 1, help = "workers" },
            { name = "mode", type = "string", default = "write", choices = { "write", "read" }, help = "access" },
          },
          run = function(p)
            pl.record("size", p.size); pl.record("threads", p.threads); pl.record("mode", p.mode)
          end,
        }
        """

    func testParametersTakeDefaultsAndSettings() throws {
        let (workbench, error) = try runScenario(scenario, settings: [("size", "2m"), ("mode", "read")])
        XCTAssertNil(error)
        XCTAssertEqual(workbench.session.results.map(\.value), [.integer(2 << 20), .integer(1), .string("read")])
    }

    func testUnknownOrIllTypedSettingsListWhatIsValid() throws {
        let cases: [([(String, String)], String)] = [
            ([("nope", "1")], "unknown parameter 'nope' (valid: size (size), threads (integer), mode (string))"),
            ([("size", "8x")], "invalid value '8x' for parameter 'size' (expected a size such as 4096, 64k, 256m or 2g)"),
            ([("threads", "two")], "invalid value 'two' for parameter 'threads' (expected an integer)"),
            ([("mode", "erase")], "invalid value 'erase' for parameter 'mode' (expected one of: write, read)"),
        ]
        for (settings, message) in cases {
            let (workbench, error) = try runScenario(scenario, settings: settings)
            XCTAssertEqual(error?.shown, message)
            XCTAssertTrue(workbench.session.results.isEmpty, "run() ran despite \(settings)")
        }
    }

    func testBrokenDeclarationsAreNamed() throws {
        let cases: [(String, String)] = [
            ("return { run = 1 }", "the scenario table has no run function"),
            ("return 42", "a scenario file returns a table { description =, params =, run = } (it returned a number)"),
            ("return { params = { { name = 'x', type = 'sise', default = 1 } }, run = function() end }", "parameter #1 ('x') has type 'sise'"),
            ("return { params = { { name = 'x', type = 'size' } }, run = function() end }", "parameter #1 ('x') has no default"),
            ("return { params = { { name = 'x', type = 'integer', default = true } }, run = function() end }", "the default does not fit type integer"),
        ]
        for (source, message) in cases {
            let (_, error) = try runScenario(source)
            XCTAssertTrue(error?.shown.contains(message) ?? false, "\(source): \(error?.shown ?? "no error")")
        }
    }

    func testAPlainScriptDeclaresNothingAndRefusesSettings() throws {
        let (workbench, error) = try runScenario("local r <close> = pl.reserve('1m'); pl.record('ran', true)")
        XCTAssertNil(error)
        XCTAssertEqual(workbench.session.results.first?.value, .boolean(true))
        let (_, refused) = try runScenario("pl.record('ran', true)", settings: [("x", "1")])
        XCTAssertEqual(refused?.shown, "unknown parameter 'x' (this scenario declares no parameters)")
    }

    func testReportDocumentHasManifestRegionsOperationsAndResults() throws {
        let (workbench, error) = try runScenario("""
            return { params = { { name = "size", type = "size", default = "2m", help = "" } },
              run = function(p)
                local r = pl.reserve(p.size, { name = "heap" })
                r:commit(); r:touch(0, "1m"); pl.snapshot("touched"); r:close()
                pl.record("answer", { 1, 2, n = 3 })
              end }
            """)
        XCTAssertNil(error)
        let json = RunReport.json(
            scenario: "t", parameters: [("size", .integer(2 << 20))], session: workbench.session,
            host: HostInfo.current(), status: "ok")
        XCTAssertEqual(json["manifest"]?["parameters"], .object([("size", .int(2 << 20))]))
        XCTAssertEqual(json["manifest"]?["host"]?["page_size"], .int(HostInfo.pageSize))
        guard case .array(let regions)? = json["regions"], let heap = regions.first else { return XCTFail("no regions") }
        XCTAssertEqual(heap["name"], .string("heap"))
        XCTAssertEqual(heap["resident"], .int(1 << 20))
        XCTAssertEqual(heap["committed"], .int(2 << 20))
        guard case .array(let operations)? = json["operations"] else { return XCTFail("no operations") }
        XCTAssertEqual(operations.map { $0["op"] }, [.string("commit"), .string("touch")])
        XCTAssertEqual(json["results"]?["answer"], .object([("1", .int(1)), ("2", .int(2)), ("n", .int(3))]))
        XCTAssertEqual(json["snapshots"].map { if case .array(let items) = $0 { items.count } else { 0 } }, 1)
    }
}
