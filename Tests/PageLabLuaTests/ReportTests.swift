import Foundation
import LuaBridge
import PageCore
@testable import PageLabLua

import XCTest

/// `pl.chart`, the report hook and the HTML report, inside one workbench.
final class ReportTests: XCTestCase {
    func testChartIsKeptInTheSessionAndTheDocument() throws {
        let (workbench, error) = try runScenario("""
            pl.chart{ kind = "curve", title = "throughput", x = { label = "rate", log = true },
                      y = { label = "units", unit = "percent" },
                      series = { { name = "a", points = { { 10, 1.5 }, { 100, 3 } } }, { name = "b", points = { { 1000, 2 } } } } }
            pl.chart{ kind = "bars", stacked = true, title = "nodes", x = "policy", y = { label = "bytes", unit = "bytes" },
                      series = { { name = "node 0", points = { { "local", 4096 }, { "interleave", 2048 } } } } }
            """)
        XCTAssertNil(error)
        let charts = workbench.session.charts
        XCTAssertEqual(charts.map(\.kind), [.curve, .bars])
        XCTAssertEqual(charts[0].x, Chart.Axis(label: "rate", unit: .number, log: true))
        XCTAssertEqual(charts[0].y.unit, .percent)
        XCTAssertEqual(charts[0].series.map(\.name), ["a", "b"])
        XCTAssertEqual(charts[0].series[0].points.map(\.x), [10, 100])
        XCTAssertEqual(charts[0].series[0].points.map(\.y), [1.5, 3])
        XCTAssertEqual(charts[1].series[0].points.map(\.category), ["local", "interleave"])
        XCTAssertTrue(charts[1].stacked)
        let document = RunReport.json(scenario: "t", parameters: [], session: workbench.session, host: HostInfo.current(), status: "ok")
        guard case .array(let saved)? = document["charts"] else { return XCTFail("no charts in the document") }
        XCTAssertEqual(saved.count, 2)
        XCTAssertEqual(saved[1]["series"], .array([.object([("name", .string("node 0")), ("points", .array([
            .array([.string("local"), .int(4096)]), .array([.string("interleave"), .int(2048)]),
        ]))])]))
    }

    func testBadChartsAreErrorsNamingTheBadValue() throws {
        let cases: [(String, String)] = [
            ("{ kind = 'pie', title = 't', x = 'x', y = 'y', series = {} }", "kind must be one of: histogram, curve, bars (got 'pie')"),
            ("{ kind = 'curve', x = 'x', y = 'y', series = {} }", "title must be a non-empty string (got nil)"),
            ("{ kind = 'curve', title = 't', x = 'x', y = 'y', series = {} }", "series must be a non-empty list"),
            ("{ kind = 'curve', title = 't', x = { label = 'x', log = true }, y = 'y', series = { { name = 'a', points = { { 0, 1 } } } } }",
             "series[1].points[1]: x is 0.0 on a logarithmic axis (must be > 0)"),
            ("{ kind = 'curve', title = 't', x = 'x', y = { label = 'y', log = true }, series = { { name = 'a', points = { { 1, 0 } } } } }",
             "series[1].points[1]: y is 0.0 on a logarithmic axis (must be > 0)"),
            ("{ kind = 'histogram', title = 't', x = 'x', y = { label = 'y', log = true }, series = { { name = 'a', points = { { 1, -1 } } } } }",
             "series[1].points[1]: y is -1.0 on a logarithmic axis (must be > 0, or 0 for no bar)"),
            ("{ kind = 'curve', title = 't', x = 'x', y = 'y', series = { { name = 'a', points = { { 1, 0/0 } } } } }",
             "series[1].points[1]: y must be a finite number"),
            ("{ kind = 'curve', title = 't', x = 'x', y = { label = 'y', unit = 'furlongs' }, series = {} }",
             "y.unit must be one of: number, bytes, ns, percent (got 'furlongs')"),
            ("{ kind = 'bars', title = 't', x = 'x', y = 'y', colour = 'red', series = {} }", "unknown field 'colour'"),
            ("{ kind = 'bars', title = 't', x = 'x', y = 'y', series = { { name = 'a', points = { { 'x', 'many' } } } } }",
             "series[1].points[1]: y must be a finite number (got 'many')"),
            ("42", "a table { kind =, title =, x =, y =, series = } expected"),
        ]
        for (table, message) in cases {
            let (workbench, error) = try runScenario("pl.chart(\(table))")
            XCTAssertTrue(error?.shown.contains("bad argument #1 to 'chart' (\(message)") == true, "\(table): \(error?.shown ?? "no error")")
            XCTAssertTrue(workbench.session.charts.isEmpty)
        }
    }

    func testReportHookGetsTheRunsResult() throws {
        let (workbench, error) = try runScenario("""
            return {
              run = function()
                local r <close> = pl.reserve("1m", { name = "hooked" })
                r:commit(); r:touch(0, "256k")
                pl.record("answer", 42)
              end,
              report = function(result)
                pl.record("seen", { status = result.manifest.status, operations = #result.operations,
                  region = result.regions[1].name, resident = result.regions[1].resident, answer = result.results.answer })
              end,
            }
            """)
        XCTAssertNil(error)
        let document = RunReport.json(scenario: "t", parameters: [], session: workbench.session, host: HostInfo.current(), status: "ok")
        XCTAssertTrue(try workbench.callReportHook(document))
        let seen = workbench.session.results.first { $0.name == "seen" }?.value
        XCTAssertEqual(seen?["status"], .string("ok"))
        XCTAssertEqual(seen?["operations"], .integer(2))
        XCTAssertEqual(seen?["region"], .string("hooked"))
        XCTAssertEqual(seen?["resident"], .integer(256 << 10))
        XCTAssertEqual(seen?["answer"], .integer(42))
    }

    func testWithoutAReportFunctionTheHookIsNotCalled() throws {
        let (workbench, error) = try runScenario("return { run = function() pl.record('ran', true) end }")
        XCTAssertNil(error)
        XCTAssertFalse(try workbench.callReportHook(.object([])))
    }

    func testReportMustBeAFunction() throws {
        let (_, error) = try runScenario("return { run = function() end, report = 'loud' }")
        XCTAssertTrue(error?.shown.contains("the scenario table's report must be a function report(result)") == true, error?.shown ?? "no error")
    }

    func testHTMLEscapesEveryTextFromTheScript() throws {
        let (workbench, error) = try runScenario("""
            local r <close> = pl.reserve("1m", { name = "<script>alert(1)</script>" })
            r:commit(); r:touch(0, "64k")
            pl.snapshot("<img src=x onerror=alert(2)>")
            pl.record("<bad>key</bad>", { ["<evil>field</evil>"] = "</table><script>alert(3)</script>" })
            pl.chart{ kind = "bars", title = "\\"><svg onload=alert(4)>", x = "<x>", y = "<y>",
                      series = { { name = "<s>", points = { { "<category>", 1 } } } } }
            """)
        XCTAssertNil(error)
        workbench.session.keepsPageMaps = true
        let document = RunReport.json(scenario: "<scenario>", parameters: [("<param>", .string("<value>"))], session: workbench.session,
                                      host: HostInfo.current(), status: "ok")
        let html = HTMLReport.render(document, session: workbench.session).lowercased()
        for tag in ["<script", "<img", "<svg onload", "<bad>", "<evil>", "</table><", "<x>", "<y>", "<s>", "<category>", "<scenario>", "<param>", "<value>"] {
            XCTAssertFalse(html.contains(tag), "\(tag) reached the page unescaped")
        }
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("&quot;&gt;&lt;svg onload=alert(4)&gt;"))
        XCTAssertTrue(html.contains("&lt;bad&gt;key&lt;/bad&gt;"))
        XCTAssertTrue(html.contains("&lt;/table&gt;&lt;script&gt;alert(3)&lt;/script&gt;"))
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "the page must not load anything")
    }

    func testHTMLDrawsEveryRegionOfABootedJVMOnTheModel() throws {
        let workbench = try Workbench(budget: .standard(), backend: .model(.likeHost()))
        workbench.session.keepsPageMaps = true
        _ = try workbench.vm.run("""
            local jvm = require "pagelab.jvm"
            vm = jvm.boot { "-Xmx2g", "-XX:+UseG1GC", jdk = 17 }
            """)
        let live = workbench.session.finalRegionReports()
        XCTAssertGreaterThan(live.count, 5)
        _ = try workbench.vm.run("vm:close()")
        // Closing the JVM closed its regions; the report still has each one's last statistics.
        let reports = workbench.session.finalRegionReports()
        XCTAssertEqual(reports.map(\.name).sorted(), live.map(\.name).sorted())
        let document = RunReport.json(scenario: "jvm", parameters: [], session: workbench.session, host: HostInfo.current(), status: "ok")
        let html = HTMLReport.render(document, session: workbench.session)
        for report in reports {
            XCTAssertTrue(html.contains(">\(HTML.escape(String(report.name.prefix(31))))"), "\(report.name) is not on the map")
        }
        XCTAssertTrue(html.contains(">Java Heap</text>"))
        XCTAssertTrue(html.contains("simulated by the model backend"))
        // Each region the map draws has its reserved bar; the heap's page map has committed cells.
        XCTAssertGreaterThanOrEqual(html.components(separatedBy: "fill=\"\(HTMLAddressMap.colour(.reserved))\"").count - 1, reports.count)
        let heap = try XCTUnwrap(reports.first { $0.name == "Java Heap" }?.pageMap)
        XCTAssertTrue(heap.cells.contains(.committed))
        XCTAssertEqual(heap.cells.count, 64 * 16)
    }
}
