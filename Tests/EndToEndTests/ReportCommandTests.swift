import Foundation
import XCTest

/// `--interval`, the scenario's report hook and `--html`, as a user runs them.
final class ReportCommandTests: XCTestCase {
    func testIntervalStreamsParseableLinesWhileTheScenarioRuns() throws {
        let result = try Pagelab.run(["run", Pagelab.fixture("growing.lua"), "--interval", "50ms"])
        XCTAssertEqual(result.status, 0, result.stderr)
        // Standard output is nothing but NDJSON; the scenario's own output moved to standard error.
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let records = try lines.map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
        }
        XCTAssertTrue(result.stderr.contains("step 1\n") && result.stderr.contains("step 6\n"), result.stderr)
        XCTAssertFalse(result.stdout.contains("step"))
        // Six steps of 60 ms under a 50 ms interval: at least four lines during the run, and the last.
        XCTAssertGreaterThanOrEqual(records.count, 5, result.stdout)
        XCTAssertEqual(records.map { $0["seq"] as? Int }, Array(1...records.count))
        let times = records.compactMap { $0["t"] as? Double }
        XCTAssertEqual(times.count, records.count)
        XCTAssertEqual(times, times.sorted())
        XCTAssertLessThan(times.first!, times.last!)
        XCTAssertEqual(records.last?["final"] as? Bool, true)
        XCTAssertEqual(records.last?["status"] as? String, "ok")
        XCTAssertNil(records.first?["final"])
        // The region's resident bytes are sampled after whole steps of 1 MiB, and they grow.
        let resident = records.dropLast().map { record -> Int in
            let regions = record["regions"] as? [[String: Any]] ?? []
            XCTAssertEqual(regions.first?["name"] as? String, "growing")
            XCTAssertEqual(regions.first?["committed"] as? Int, 8 << 20)
            return regions.first?["resident"] as? Int ?? -1
        }
        XCTAssertEqual(resident, resident.sorted())
        XCTAssertTrue(resident.allSatisfy { $0 > 0 && $0 % (1 << 20) == 0 }, "\(resident)")
        XCTAssertGreaterThan(resident.last!, resident.first!)
        // The final line has the region's last statistics (closed by then) and the process.
        let final = (records.last?["regions"] as? [[String: Any]])?.first
        XCTAssertEqual(final?["resident"] as? Int, 6 << 20)
        XCTAssertGreaterThanOrEqual((records.last?["process"] as? [String: Any])?["rss"] as? Int ?? 0, 6 << 20)
    }

    /// A scenario busy in Lua between two memory operations still reports on time: the VM's tick
    /// samples while no operation comes.
    func testIntervalLinesComeWhileTheScenarioComputesInLua() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pagelab-e2e-\(UUID()).lua").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try """
            local pl = require "pagelab"
            local r <close> = pl.reserve("4m", { name = "busy" })
            r:commit()
            r:touch(0, "1m")
            local stop = pl.now() + 400 * 1000000
            local n = 0
            while pl.now() < stop do n = n + 1 end
            r:touch(0, "2m")
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try Pagelab.run(["run", file, "--interval", "50ms"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let records = try result.stdout.split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
        // Three operations, one final line: every line beyond four came from the tick, during the loop,
        // and shows the 1 MiB the first touch left.
        let during = records.dropLast().filter { record in
            ((record["regions"] as? [[String: Any]])?.first?["resident"] as? Int) == 1 << 20
        }
        XCTAssertGreaterThanOrEqual(during.count, 4, result.stdout)
        XCTAssertEqual(records.last?["final"] as? Bool, true)
    }

    func testIntervalFileLeavesStandardOutputToTheScenario() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pagelab-e2e-\(UUID()).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try Pagelab.run(["run", Pagelab.fixture("growing.lua"), "--set", "steps=3", "--interval", "50ms", "--interval-file", file])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "step 1\nstep 2\nstep 3\n")
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        XCTAssertGreaterThanOrEqual(lines.count, 3)
        XCTAssertTrue(lines.last?.contains("\"final\":true") == true)
    }

    func testBadIntervalsAreUsageErrors() throws {
        for (arguments, message) in [
            (["--interval", "soon"], "invalid --interval 'soon'"),
            (["--interval", "10us"], "shorter than 1ms"),
            (["--interval-file", "/tmp/x.ndjson"], "--interval-file needs --interval"),
        ] {
            let result = try Pagelab.run(["run", Pagelab.fixture("small.lua")] + arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
            XCTAssertEqual(result.stdout, "")
        }
    }

    func testReportHookReplacesTheDefaultFinalPrintout() throws {
        let result = try Pagelab.run(["run", Pagelab.fixture("reported.lua")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "run done\nreport: status=ok operations=2 region=<b>reported</b> resident=2097152 written=2097152\n")
    }
}
