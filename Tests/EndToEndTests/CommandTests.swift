import Foundation
import XCTest

final class CommandTests: XCTestCase {
    func testListShowsThePacksAndTheirScenarios() throws {
        let result = try Pagelab.run(["list"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("""
            host 0.1.0: Page sizes, commit against resident, and pretouch, measured on this host
              host/page-sizes          Page sizes and large-page support as HotSpot detects them
              host/commit-vs-resident  Reserve, commit, touch: committed is not resident, and reads map the zero page
              host/pretouch            AlwaysPreTouch with 1 and 2 threads against lazy first touch, 4 KiB pages against THP

            """), result.stdout)
        // Every shipped pack is listed, each under its name and version.
        let plugins = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../plugins").standardized
        for pack in try FileManager.default.contentsOfDirectory(atPath: plugins.path) {
            XCTAssertTrue(result.stdout.contains("\n\(pack) ") || result.stdout.hasPrefix("\(pack) "), "pack \(pack) is not listed")
        }
    }

    func testInfoListsParametersWithoutRunning() throws {
        let file = Pagelab.fixture("small.lua")
        let result = try Pagelab.run(["info", file])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, """
            \(file)
            Commit 4 MiB, write 1 MiB, read 1 MiB
            file: \(file)
            backends: host, model

            parameters (--set name=value):
            name   type  default  help
            write  size  1M       bytes to write

            """)
        let pack = try Pagelab.run(["info", "host/pretouch"])
        XCTAssertTrue(pack.stdout.hasSuffix("""
            parameters (--set name=value):
            name    type     default  help
            size    size     512M     heap size to touch in each case
            repeat  integer  3        runs per case; the median is reported

            """), pack.stdout)
    }

    func testRunPrintsAndWritesTheResultDocument() throws {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("pagelab-e2e-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: json) }
        let result = try Pagelab.run(["run", Pagelab.fixture("small.lua"), "--set", "write=512k", "--json", json])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "committed 4M resident 512K zero 1M\n")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [String: Any]
        let manifest = document["manifest"] as! [String: Any]
        XCTAssertEqual(manifest["status"] as? String, "ok")
        XCTAssertEqual((manifest["parameters"] as! [String: Any])["write"] as? Int, 512 << 10)
        XCTAssertNotNil((manifest["host"] as! [String: Any])["thp_mode"] as? String)
        let regions = document["regions"] as! [[String: Any]]
        XCTAssertEqual(regions.count, 1)
        XCTAssertEqual(regions[0]["name"] as? String, "small")
        XCTAssertEqual(regions[0]["committed"] as? Int, 4 << 20)
        XCTAssertEqual(regions[0]["resident"] as? Int, 512 << 10)
        XCTAssertEqual(regions[0]["zero"] as? Int, 1 << 20)
        let operations = document["operations"] as! [[String: Any]]
        XCTAssertEqual(operations.map { $0["op"] as? String }, ["commit", "touch", "touch"])
        XCTAssertEqual(operations[1]["length"] as? Int, 512 << 10)
        XCTAssertGreaterThanOrEqual(operations[1]["minflt"] as? Int ?? 0, 128)
        XCTAssertEqual((document["results"] as! [String: Any])["resident"] as? Int, 512 << 10)
    }

    func testScriptErrorsPrintPositionAndTracebackAndExitOne() throws {
        let file = Pagelab.fixture("error.lua")
        let result = try Pagelab.run(["run", file])
        XCTAssertEqual(result.status, 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first?.hasPrefix("\(file):3: SIGSEGV at region 'guarded' offset 0x0 (address 0x"), true, result.stderr)
        XCTAssertEqual(lines.first?.hasSuffix("): protection none, reserved but not committed"), true, result.stderr)
        XCTAssertEqual(lines.dropFirst().first, "stack traceback:")
        XCTAssertTrue(result.stderr.contains("\(file):5: in main chunk"))
    }

    func testBadSettingsAreRejectedWithTheValidNames() throws {
        let unknown = try Pagelab.run(["run", Pagelab.fixture("small.lua"), "--set", "nope=1"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertEqual(unknown.stderr, "Error: unknown parameter 'nope' (valid: write (size))\n")
        let illTyped = try Pagelab.run(["run", Pagelab.fixture("small.lua"), "--set", "write=lots"])
        XCTAssertEqual(illTyped.status, 64)
        XCTAssertTrue(illTyped.stderr.hasPrefix("Error: invalid value 'lots' for parameter 'write' (expected a size such as 4096, 64k, 256m or 2g)\n"))
        let missing = try Pagelab.run(["run", "host/nothing"])
        XCTAssertTrue(missing.stderr.hasPrefix("Error: pack 'host' has no scenario 'nothing' (scenarios: page-sizes, commit-vs-resident, pretouch)\n"), missing.stderr)
    }

    func testTheREPLRunsStandardInputThatIsNotATerminal() throws {
        let result = try Pagelab.run([], input: "r = pl.reserve('1m', { name = 'x' })\nprint(r)\nprint(pl.size('2k'))\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("region 'x' (1M at 0x"), result.stdout)
        XCTAssertTrue(result.stdout.hasSuffix(")\n2048\n"))
    }

    func testDoctorSaysWhatIsMeasuredAndWhatSimulated() throws {
        let result = try Pagelab.run(["doctor"])
        XCTAssertEqual(result.status, 0)
        for capability in ["pagemap PFNs", "PAGEMAP_SCAN", "kpageflags", "membarrier", "userfaultfd", "hardware counters"] {
            XCTAssertTrue(result.stdout.contains("\n" + capability + " "), "doctor does not list \(capability)")
        }
        XCTAssertTrue(result.stdout.contains("THP madvise") || result.stdout.contains("THP always") || result.stdout.contains("THP never"))
    }
}
