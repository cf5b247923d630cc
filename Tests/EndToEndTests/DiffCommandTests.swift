import Foundation
import XCTest

/// `pagelab diff` on small hand-made results (exact output) and on real runs.
final class DiffCommandTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pagelab-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try FileManager.default.removeItem(at: folder) }

    func write(_ name: String, _ text: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func run(regions: String, process: String, results: String) -> String {
        """
        {"manifest": {"scenario": "hand-made", "backend": "model"}, "regions": [\(regions)],
         "process": {\(process)}, "results": {\(results)}}
        """
    }

    func testRunResultsRegionByRegionNodeByNode() throws {
        let a = try write("a.json", Self.run(
            regions: """
                {"name": "heap", "size": 8388608, "committed": 2097152, "resident": 1048576, "zero": 0, "huge": 0, "swapped": 0, "locked": 0, "nodes": {"0": 1048576}},
                {"name": "old", "size": 1048576, "committed": 1048576, "resident": 4096, "zero": 0, "huge": 0, "swapped": 0, "locked": 0, "nodes": {"1": 4096}}
                """,
            process: #""rss": 10485760, "vm_size": 20971520, "vm_pte": 8192, "minflt": 100, "majflt": 0"#,
            results: #""pages": 256, "rate": 1.5, "ok": true, "label": "x", "dropped": 3"#))
        let b = try write("b.json", Self.run(
            regions: """
                {"name": "heap", "size": 8388608, "committed": 4194304, "resident": 3145728, "zero": 4096, "huge": 2097152, "swapped": 0, "locked": 0, "nodes": {"0": 1048576, "1": 2097152}},
                {"name": "new", "size": 65536, "committed": 0, "resident": 0, "zero": 0, "huge": 0, "swapped": 0, "locked": 0, "nodes": {}}
                """,
            process: #""rss": 9437184, "vm_size": 20971520, "vm_pte": 12288, "minflt": 612, "majflt": 0"#,
            results: #""pages": 768, "rate": 1.25, "ok": false, "label": "y", "added": 7"#))
        let result = try Pagelab.run(["diff", a, b])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            PageLab diff: \(a) -> \(b)

            Total: size=8256KB -960KB, committed=4096KB +1024KB, resident=3072KB +2044KB
                   (nodes: N0=1024KB, N1=2048KB +2044KB)

            -                      heap (size=8192KB, committed=4096KB +2048KB, resident=3072KB +2048KB, zero=4KB +4KB, huge=2048KB +2048KB)
                                        (nodes: N0=1024KB, N1=2048KB +2048KB)
             
            -                old (gone) (size=0KB -1024KB, committed=0KB -1024KB, resident=0KB -4KB)
                                        (nodes: N1=0KB -4KB)
             
            -                 new (new) (size=64KB +64KB, committed=0KB, resident=0KB)
             
            Process: rss=9216KB -1024KB, vm_size=20480KB, vm_pte=12KB +4KB, minflt=612 +512, majflt=0
            Results: added=7 (new), dropped=(gone, was 3), pages=768 +512, rate=1.25 -0.25

            """)
        let json = try Pagelab.run(["diff", a, b, "--format", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(document["kind"] as? String, "run")
        let regions = try XCTUnwrap(document["regions"] as? [[String: Any]])
        XCTAssertEqual(regions.map { $0["name"] as? String }, ["heap", "old", "new"])
        XCTAssertEqual(regions.map { $0["status"] as? String }, ["both", "gone", "new"])
        XCTAssertEqual((regions[0]["committed"] as? [String: Int])?["delta"], 2_097_152)
        XCTAssertEqual(((regions[0]["nodes"] as? [String: Any])?["1"] as? [String: Int])?["to"], 2_097_152)
        let results = try XCTUnwrap(document["results"] as? [String: [String: Any]])
        XCTAssertEqual(Set(results.keys), ["added", "dropped", "pages", "rate"], "booleans and strings are not numeric results")
        XCTAssertEqual(results["rate"]?["delta"] as? Double, -0.25)
    }

    func testJVMResultsInNMTLayoutAndOrder() throws {
        func jvm(_ categories: String) -> String { #"{"jdk": 17, "backend": "model", "nmt": {\#(categories)}}"# }
        let a = try write("a.json", jvm("""
            "Java Heap": {"reserved": 1073741824, "committed": 67108864, "resident": 0},
            "Thread": {"reserved": 1048576, "committed": 1048576, "resident": 65536},
            "Safepoint": {"reserved": 8192, "committed": 8192, "resident": 0}
            """))
        let b = try write("b.json", jvm("""
            "Thread": {"reserved": 2097152, "committed": 2097152, "resident": 65536},
            "Java Heap": {"reserved": 2147483648, "committed": 67108864, "resident": 4194304},
            "Metaspace": {"reserved": 67108864, "committed": 65536, "resident": 65536}
            """))
        let result = try Pagelab.run(["diff", a, b])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            Native Memory Tracking (mmap part; PageLab adds resident):

            Total: reserved=2164736KB +1115128KB, committed=67648KB +1080KB

            -                 Java Heap (reserved=2097152KB +1048576KB, committed=65536KB)
                                        (mmap: reserved=2097152KB +1048576KB, committed=65536KB)
                                        (resident=4096KB +4096KB)
             
            -                    Thread (reserved=2048KB +1024KB, committed=2048KB +1024KB)
                                        (stack: reserved=2048KB +1024KB, committed=2048KB +1024KB)
                                        (resident=64KB)
             
            -                 Safepoint (reserved=0KB -8KB, committed=0KB -8KB)
                                        (mmap: reserved=0KB -8KB, committed=0KB -8KB)
                                        (resident=0KB)
             
            -                 Metaspace (reserved=65536KB +65536KB, committed=64KB +64KB)
                                        (mmap: reserved=65536KB +65536KB, committed=64KB +64KB)
                                        (resident=64KB +64KB)
             

            """)
        let json = try Pagelab.run(["diff", a, b, "--format", "json"])
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let categories = try XCTUnwrap(document["categories"] as? [[String: Any]])
        XCTAssertEqual(categories.map { $0["category"] as? String }, ["Java Heap", "Thread", "Safepoint", "Metaspace"])
        XCTAssertEqual((categories[0]["reserved"] as? [String: Int])?["delta"], 1 << 30)
    }

    /// Two real JVM layouts: only the heap's reservation (and what scales with it) differs.
    func testTwoModelJVMs() throws {
        let common = ["jvm", "--backend", "model", "--ram", "16g", "--cpus", "4", "--format", "json", "--"]
        let small = try Pagelab.run(common + ["-Xmx1g"]), large = try Pagelab.run(common + ["-Xmx2g"])
        XCTAssertEqual(small.status, 0, small.stderr)
        let a = try write("1g.json", small.stdout), b = try write("2g.json", large.stdout)
        let result = try Pagelab.run(["diff", a, b])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let heap = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("-                 Java Heap") })
        XCTAssertTrue(lines[heap].hasPrefix("-                 Java Heap (reserved=2097152KB +1048576KB, committed="), lines[heap])
        XCTAssertTrue(lines[heap + 1].hasPrefix("                            (mmap: reserved=2097152KB +1048576KB, committed="), lines[heap + 1])
        let thread = try XCTUnwrap(lines.first { $0.hasPrefix("-                    Thread") })
        XCTAssertFalse(thread.contains("+") || thread.contains(" -"), "thread stacks do not depend on the heap: \(thread)")
        XCTAssertTrue(lines[2].hasPrefix("Total: reserved="), lines[2])
        let same = try Pagelab.run(["diff", a, a])
        XCTAssertFalse(same.stdout.contains("KB +") || same.stdout.contains("KB -"), "a result against itself has no deltas:\n\(same.stdout)")
    }

    /// Two runs of a scenario on the host with different --set values.
    func testTwoHostRuns() throws {
        let a = folder.appendingPathComponent("1m.json").path, b = folder.appendingPathComponent("2m.json").path
        XCTAssertEqual(try Pagelab.run(["run", Pagelab.fixture("small.lua"), "--json", a]).status, 0)
        XCTAssertEqual(try Pagelab.run(["run", Pagelab.fixture("small.lua"), "--set", "write=2m", "--json", b]).status, 0)
        let result = try Pagelab.run(["diff", a, b])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "PageLab diff: \(a) -> \(b)")
        XCTAssertEqual(lines[1], "Total: size=4096KB, committed=4096KB, resident=2048KB +1024KB")
        XCTAssertTrue(lines.contains("-                     small (size=4096KB, committed=4096KB, resident=2048KB +1024KB, zero=1024KB)"), result.stdout)
        XCTAssertEqual(lines.last, "Results: resident=2097152 +1048576")
        let process = try XCTUnwrap(lines.first { $0.hasPrefix("Process: ") })
        let faults = try XCTUnwrap(process.firstMatch(of: /minflt=\d+ \+(\d+)/)).1
        // 256 more pages written; the rest of the process adds or saves a few faults of its own.
        XCTAssertGreaterThan(Int(faults) ?? 0, 128, "writing 1 MiB more shows in the process's faults: \(process)")
    }

    func testBadFilesAreNamed() throws {
        let good = try write("good.json", Self.run(regions: "", process: "", results: ""))
        let jvm = try write("jvm.json", #"{"jdk": 17, "nmt": {}}"#)
        let cases: [(String, String)] = [
            (folder.appendingPathComponent("missing.json").path, "missing.json: no such file"),
            (try write("cut.json", #"{"manifest": {"scenario": "x"}, "regi"#), "cut.json: not valid JSON ("),
            (try write("text.json", "hello"), "text.json: not valid JSON ("),
            (try write("list.json", "[1, 2]"), "list.json: not a `pagelab run --json` or `pagelab jvm --format json` document"),
            (try write("other.json", #"{"name": "x"}"#), "other.json: a JSON document, but not a `pagelab run --json` or `pagelab jvm --format json` document"),
            (jvm, "jvm.json is a pagelab jvm --format json result but"),
        ]
        for (file, message) in cases {
            let result = try Pagelab.run(["diff", file, good])
            XCTAssertEqual(result.status, 64, "\(file): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("Error: ") && result.stderr.contains(message), "\(file): \(result.stderr)")
            XCTAssertEqual(result.stdout, "")
        }
        let format = try Pagelab.run(["diff", good, good, "--format", "xml"])
        XCTAssertEqual(format.status, 64)
        XCTAssertEqual(format.stderr, "Error: --format must be text or json, not 'xml'\n")
    }
}
