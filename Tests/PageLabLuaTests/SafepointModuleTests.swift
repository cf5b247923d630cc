import Foundation
import LuaBridge
import PageCore
import PageSafepoint
import XCTest
@testable import PageLabLua

/// `pagelab.safepoint` from scripts: results, bad input, and that every thread and page is gone
/// after errors and Ctrl-C.
final class SafepointModuleTests: XCTestCase {
    override func tearDown() {
        Interruption.clear()
        super.tearDown()
    }

    /// The engine's threads (mutators and watchdog) alive in this process.
    func mutatorThreads() -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.filter { task in
            let name = FileManager.default.contents(atPath: "/proc/self/task/\(task)/comm").map { String(decoding: $0, as: UTF8.self) }
            return name?.hasPrefix("sp-") ?? false
        }.count
    }

    func testAStormReturnsItsMeasurementsAndShowsThem() throws {
        let (workbench, error) = try runScenario("""
            local sp = require "pagelab.safepoint"
            local r = sp.storm { mechanism = "thread-page", threads = 2, rate = 0, safepoints = 300, duration = "10s",
                                 operation = "5us", log = "jdk25", name = "Cleanup" }
            pl.record("safepoints", r.safepoints)
            pl.record("traps", r.traps)
            pl.record("log", #r.log)
            pl.record("first", sp.parse_log(r.log[1]))
            pl.record("ordered", r.ttsp.p50 <= r.ttsp.p90 and r.ttsp.p90 <= r.ttsp.p99 and r.ttsp.p99 <= r.ttsp.max)
            pl.record("per_thread", { r.per_thread[1].safepoints, r.per_thread[2].safepoints })
            pl.record("text", tostring(r))
            """)
        XCTAssertNil(error)
        let results = Dictionary(uniqueKeysWithValues: workbench.session.results.map { ($0.name, $0.value) })
        XCTAssertEqual(results["safepoints"], .integer(300))
        XCTAssertEqual(results["traps"], .integer(600))
        XCTAssertEqual(results["log"], .integer(300))
        XCTAssertEqual(results["first"]?["operation"], .string("Cleanup"))
        XCTAssertEqual(results["first"]?["format"], .string("jdk25"))
        XCTAssertEqual(results["first"]?["threads"], .integer(2))
        XCTAssertEqual(results["ordered"], .boolean(true))
        XCTAssertEqual(results["per_thread"], .table(array: [.integer(300), .integer(300)], record: [:]))
        let text = try XCTUnwrap(results["text"]?.stringValue)
        XCTAssertTrue(text.hasPrefix("thread-page, 2 threads, compute: 300 safepoints in "), text)
        XCTAssertTrue(text.contains("traps 600, serialize-page traps 0, transitions 0, violations 0"), text)
        XCTAssertTrue(text.contains("time to safepoint histogram:"), text)
    }

    func testBadOptionsAreNamed() throws {
        let cases: [(String, String)] = [
            ("sp.storm { mechanism = 'safepoint-page' }",
             "bad argument #1 to 'storm' (invalid mechanism 'safepoint-page' (expected one of: global-page, thread-page, poll-word, dispatch))"),
            ("sp.storm { threads = 'many' }", "bad argument #1 to 'storm' (option 'threads': integer expected, got string)"),
            ("sp.storm { speed = 1 }", "bad argument #1 to 'storm' (unknown option 'speed' (valid: \(SafepointModule.stormOptions.joined(separator: ", "))))"),
            ("sp.storm { duration = 'soon' }",
             "bad argument #1 to 'storm' (invalid duration 'soon' (expected a duration such as 500ms, 10us, 2s, or seconds as a number))"),
            ("sp.storm { rate = true }", "bad argument #1 to 'storm' (option 'rate': number expected)"),
            ("sp.storm { rate = -5 }", "bad argument #1 to 'storm' (rate -5.0 must be between 0 (back to back) and 10000000 safepoints per second)"),
            ("sp.storm { ordering = 'UseMembar', natives = 1 }",
             "bad argument #1 to 'storm' (invalid ordering 'UseMembar' (expected one of: serialize-page, fence, membarrier))"),
            ("sp.storm { log = 'jdk8' }", "bad argument #1 to 'storm' (invalid log 'jdk8' (expected one of: jdk17, jdk21, jdk25))"),
            ("sp.storm { threads = 0 }",
             "bad argument #1 to 'storm' (0 mutators in all (threads 0, natives 0, straggler 0): must be between 1 and 256)"),
            ("sp.storm(42)", "bad argument #1 to 'storm' (table expected, got number)"),
            ("sp.transition_cost('UseMembar')",
             "bad argument #1 to 'transition_cost' (invalid ordering 'UseMembar' (expected one of: serialize-page, fence, membarrier))"),
            ("sp.transition_cost('fence', 1)", "bad argument #2 to 'transition_cost' (transitions 1 must be between 2 and 1000000000)"),
            ("sp.java { java = '/nonexistent/java' }", "bad argument #1 to 'java' (no Java launcher '/nonexistent/java' (give a path, or put one on PATH))"),
        ]
        let mappings = processMappings()
        for (source, message) in cases {
            let (_, error) = try runScenario("local sp = require 'pagelab.safepoint'\n" + source)
            XCTAssertTrue(error?.shown.hasSuffix(message) ?? false, "\(source): \(error?.shown ?? "no error")")
        }
        XCTAssertEqual(mutatorThreads(), 0)
        XCTAssertEqual(processMappings().symmetricDifference(mappings), [])
    }

    /// Runs `body` twice and checks that the second run left no mutator thread and no mapping
    /// behind. The first run fills glibc's caches (freed thread stacks, per-thread malloc arenas),
    /// which stay mapped by design and are reused by the second.
    func assertNothingLeftBehind(_ body: () throws -> Void) rethrows {
        try body()
        Interruption.clear()
        let mappings = processMappings()
        try body()
        XCTAssertEqual(mutatorThreads(), 0)
        // Threads that ended (the interrupter, glibc's cached stacks) may take a moment on a busy
        // machine to leave their stacks as the first run did: a leak stays, so wait up to 2 s.
        var difference = processMappings().symmetricDifference(mappings)
        for _ in 0..<20 where !difference.isEmpty {
            usleep(100_000)
            difference = processMappings().symmetricDifference(mappings)
        }
        XCTAssertEqual(difference, [])
    }

    /// Ctrl-C in the middle of a storm stops it; the mutators are joined and the pages unmapped.
    func testAnInterruptedStormLeavesNothingBehind() throws {
        try assertNothingLeftBehind {
            Thread.detachNewThread {
                usleep(300_000)
                Interrupt.request()
            }
            let (_, error) = try runScenario("""
                local sp = require "pagelab.safepoint"
                sp.storm { mechanism = "global-page", threads = 4, natives = 2, ordering = "serialize-page", work = "store",
                           rate = 0, duration = "60s", throughput = false }
                """)
            XCTAssertTrue(error?.shown.hasSuffix("interrupted!") ?? false, error?.shown ?? "no error")
        }
    }

    /// A straggler whose loop outlasts the timeout fails the safepoint, named; nothing is left.
    func testASafepointThatTimesOutNamesTheStragglerAndLeavesNothingBehind() throws {
        try assertNothingLeftBehind {
            let (_, error) = try runScenario("""
                local sp = require "pagelab.safepoint"
                sp.storm { threads = 1, straggler = 1 << 36, timeout = "50ms", rate = 0, duration = "60s", throughput = false }
                """)
            XCTAssertTrue(error?.shown.hasSuffix("safepoint not reached within 0.05 s: mutator 1 (straggler) did not arrive") ?? false,
                          error?.shown ?? "no error")
        }
    }

    func testTheModelBackendRefusesStorms() throws {
        let workbench = try Workbench(budget: .standard(), backend: .model(.likeHost()))
        XCTAssertThrowsError(try workbench.vm.run("require('pagelab.safepoint').storm { duration = '10ms' }")) { error in
            XCTAssertTrue(error.shown.hasSuffix("storm: pagelab.safepoint measures this host's threads and signals; it does not run on the model backend"),
                          error.shown)
        }
        XCTAssertEqual(mutatorThreads(), 0)
    }

    func testTransitionCostsAndNames() throws {
        let (workbench, error) = try runScenario("""
            local sp = require "pagelab.safepoint"
            local costs = {}
            for _, ordering in ipairs(sp.orderings()) do costs[ordering] = sp.transition_cost(ordering, 10000) end
            pl.record("costs", costs)
            pl.record("none", sp.transition_cost("none") > 0)
            pl.record("mechanisms", sp.mechanisms())
            pl.record("duration", sp.duration(1400))
            """)
        XCTAssertNil(error)
        let results = Dictionary(uniqueKeysWithValues: workbench.session.results.map { ($0.name, $0.value) })
        guard case .table(_, let costs)? = results["costs"] else { return XCTFail("no costs") }
        XCTAssertEqual(Set(costs.keys), ["serialize-page", "fence", "membarrier"])
        XCTAssertEqual(results["none"], .boolean(true))
        XCTAssertEqual(results["mechanisms"], .table(array: ["global-page", "thread-page", "poll-word", "dispatch"].map(LuaValue.string), record: [:]))
        XCTAssertEqual(results["duration"], .string("1.4 µs"))
    }

    /// Every scenario of the pack runs, short, and records what it promises.
    func testThePackScenariosRunAndRecord() throws {
        let pack = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../plugins/safepoint").standardized.path
        let javaFound = (try? JavaSafepoints.launchers("java")) != nil
        let runs: [(String, [(String, String)], [String])] = [
            ("storm", [("duration", "100ms"), ("mechanism", "global-page")], ["safepoints", "ttsp_ns", "throughput_loss", "traps", "violations", "histogram"]),
            ("straggler", [("duration", "100ms"), ("loop", "100000")], ["safepoints", "ttsp_ns", "ttsp_ns_without_straggler", "throughput_loss"]),
            ("mechanisms", [("duration", "50ms")], ["mechanisms"]),
            ("serialization", [("duration", "50ms"), ("transitions", "10000")], ["unordered_transition_ns", "orderings"]),
            ("rate-curve", [("duration", "20ms")], ["curve"]),
        ] + (javaFound ? [("jvm", [("safepoints", "20")], ["comparison"])] : [])
        for (name, settings, recorded) in runs {
            let workbench = try Workbench(budget: .standard())
            try workbench.run(file: "\(pack)/\(name).lua", settings: settings)
            XCTAssertEqual(workbench.session.results.map(\.name), recorded, name)
            workbench.session.releaseAll()
        }
        XCTAssertEqual(mutatorThreads(), 0)
    }
}
