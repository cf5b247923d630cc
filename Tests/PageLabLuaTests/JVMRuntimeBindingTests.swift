import Foundation
import LuaBridge
import PageCore
import XCTest
@testable import PageLabLua

/// The booted JVM's run-time methods through Lua: G1's heap and metaspace.
final class JVMRuntimeBindingTests: XCTestCase {
    private func result(_ workbench: Workbench, _ name: String) -> LuaValue? {
        workbench.session.results.first { $0.name == name }?.value
    }

    /// What a script sees of the heap is what the heap's reservation holds.
    func testG1MethodsAgreeWithTheHeapsReservation() throws {
        let (workbench, error) = try runScenario("""
            local jvm = require "pagelab.jvm"
            vm = jvm.boot { "-Xmx64m", "-Xms8m", jdk = 17 }
            vm:workload { survival = 50, tenuring = 1 }
            local a = vm:allocate("64k", 100)
            pl.record("objects", a.objects)
            pl.record("collections", #a.collections)
            pl.record("young", vm:young_gc().kind)
            pl.record("map", vm:region_map())
            pl.record("regions", #vm:regions())
            pl.record("g1", vm:g1())
            local eden = 0
            for _, s in ipairs(vm:region_stats()) do if s.type == "eden" then eden = eden + s.regions end end
            pl.record("eden_after_gc", eden)
            pl.record("full", vm:full_gc().log)
            pl.record("runs", #vm:uncommit())
            pl.record("g1_after", vm:g1())
            pl.record("log", vm:gc_log())
            """)
        XCTAssertNil(error)
        defer { workbench.session.releaseAll() }
        XCTAssertEqual(result(workbench, "objects"), .integer(100))
        XCTAssertEqual(result(workbench, "young"), .string("young"))
        XCTAssertEqual(result(workbench, "regions"), .integer(64))
        XCTAssertEqual(result(workbench, "eden_after_gc"), .integer(0))
        XCTAssertTrue(result(workbench, "map")?.stringValue?.hasPrefix("64 regions of 1M (JDK 17)\n 0 ") == true)
        XCTAssertTrue(result(workbench, "full")?.stringValue?.contains("Pause Full (System.gc())") == true)
        let heap = try XCTUnwrap(workbench.session.space.regions.first { $0.name == "Java Heap" })
        XCTAssertEqual(result(workbench, "g1_after")?["committed"]?.integerValue, try heap.stats().committed)
        XCTAssertEqual(result(workbench, "g1")?["region_size"], .integer(1 << 20))
        XCTAssertEqual(result(workbench, "g1_after")?["inactive"], .integer(0), "the uncommit task ran to completion")
        guard case .table(let log, _)? = result(workbench, "log") else { return XCTFail("no log") }
        XCTAssertTrue(log.contains(.string("Expand the heap. requested expansion amount: 8388608B expansion amount: 8388608B")))
    }

    func testMetaspaceMethodsAgreeWithTheNodes() throws {
        let (workbench, error) = try runScenario("""
            local jvm = require "pagelab.jvm"
            vm = jvm.boot { "-Xmx64m", jdk = 21 }
            pl.record("boot", vm:metaspace())
            pl.record("load", vm:load_classes("app", 200, "8k", "1k").classes)
            pl.record("loaded", vm:metaspace())
            pl.record("loaders", vm:loaders())
            pl.record("levels", #vm:chunks())
            pl.record("unload", vm:unload("app"))
            pl.record("after", vm:metaspace())
            """)
        XCTAssertNil(error)
        defer { workbench.session.releaseAll() }
        XCTAssertEqual(result(workbench, "load"), .integer(200))
        XCTAssertEqual(result(workbench, "boot")?["non_class"]?["committed"], .integer(64 << 10), "the boot loader's granule")
        let loaded = try XCTUnwrap(result(workbench, "loaded"))
        XCTAssertEqual(loaded["classes"], .integer(201), "the boot loader's one and the app's 200")
        XCTAssertGreaterThanOrEqual(loaded["non_class"]?["used"]?.integerValue ?? 0, 200 * 8 << 10)
        let node = try XCTUnwrap(workbench.session.space.regions.first { $0.name == "Metaspace node" })
        XCTAssertEqual(loaded["non_class"]?["reserved"]?.integerValue, node.size)
        XCTAssertEqual(result(workbench, "levels"), .integer(15))
        let unload = try XCTUnwrap(result(workbench, "unload"))
        XCTAssertEqual(unload["committed_after"], .integer(128 << 10), "back to the boot loader's two granules")
        XCTAssertEqual(unload["reserved_after"], unload["reserved_before"], "JDK 21 never unmaps a node")
        XCTAssertEqual(result(workbench, "after")?["non_class"]?["committed"]?.integerValue, try node.stats().committed)
    }

    /// Nodes reserved at run time are the JVM's areas: NMT counts them, and forgets the ones
    /// JDK 17 unmaps.
    func testNMTCountsNodesReservedAndUnmappedAtRunTime() throws {
        let (workbench, error) = try runScenario("""
            local jvm = require "pagelab.jvm"
            vm = jvm.boot { "-Xmx64m", jdk = 17 }
            pl.record("boot", vm:nmt().Metaspace)
            vm:load_classes("app", 1500, "48k")
            pl.record("loaded", vm:nmt().Metaspace)
            vm:unload("app")
            pl.record("unloaded", vm:nmt().Metaspace)
            """)
        XCTAssertNil(error)
        defer { workbench.session.releaseAll() }
        XCTAssertEqual(result(workbench, "boot")?["reserved"], .integer(64 << 20))
        XCTAssertEqual(result(workbench, "loaded")?["reserved"], .integer(128 << 20), "a second node")
        XCTAssertGreaterThan(result(workbench, "loaded")?["committed"]?.integerValue ?? 0, 1500 * 48 << 10)
        XCTAssertEqual(result(workbench, "unloaded")?["reserved"], .integer(64 << 20), "the second node is unmapped")
        XCTAssertEqual(result(workbench, "unloaded")?["committed"], .integer(64 << 10), "the boot loader's granule")
        XCTAssertEqual(workbench.session.space.regions.filter { $0.name == "Metaspace node" }.count, 1)
    }

    func testMaxMetaspaceSizeIsALuaErrorNamingTheLimit() throws {
        let (workbench, error) = try runScenario("""
            local jvm = require "pagelab.jvm"
            local vm <close> = jvm.boot { "-Xmx64m", "-XX:MaxMetaspaceSize=24m", jdk = 17 }
            vm:load_classes("app", 100000, "16k", "1k")
            """)
        defer { workbench.session.releaseAll() }
        XCTAssertTrue(error?.shown.contains("OutOfMemoryError: Metaspace (MaxMetaspaceSize=24M: ") == true, error?.shown ?? "no error")
        XCTAssertTrue(workbench.session.space.regions.isEmpty, "the JVM was closed")
    }

    func testBadArgumentsAreClearErrors() throws {
        let boot = "local jvm = require 'pagelab.jvm'; local vm <close> = jvm.boot { '-Xmx64m', jdk = 17 }; "
        let cases: [(code: String, message: String)] = [
            ("vm:allocate(0)", "bad argument #1 to 'allocate' (object size 0 is not positive)"),
            ("vm:allocate('1k', 0)", "bad argument #2 to 'allocate' (object count 0 is not positive)"),
            ("vm:allocate('1g')", "OutOfMemoryError: Java heap space (MaxHeapSize=64M: a 1G object is larger than the whole heap)"),
            ("vm:drop_humongous(3)", "bad argument #1 to 'drop_humongous' (no live humongous object starts at region 3)"),
            ("vm:workload { survival = 150 }", "option 'survival': 150 is not a percentage (0...100)"),
            ("vm:workload { speed = 1 }", "unknown option 'speed'"),
            ("vm:load_classes('app', 0, '1k')", "bad argument #2 to 'load_classes' (class count 0 is not positive)"),
            ("vm:load_classes('app', 1, '17m')", "bad argument #3 to 'load_classes' (nonclass metadata of 17M is larger than a root chunk (16M))"),
            ("vm:unload('nope')", "bad argument #1 to 'unload' (no class loader named 'nope')"),
            ("vm:class_loader('x', 'weird')", "bad argument #2 to 'class_loader' (invalid class loader kind 'weird' (expected one of: boot, standard, reflection, hidden))"),
            ("vm:class_loader('boot')", "bad argument #1 to 'class_loader' (a class loader named 'boot' exists already)"),
            ("vm:chunks('heap')", "bad argument #1 to 'chunks' (invalid space 'heap' (expected non_class or class))"),
            ("local p <close> = jvm.boot { '-Xmx64m', '-XX:+UseParallelGC' }; p:allocate(8)", "vm:allocate needs the G1 collector (this JVM uses Parallel)"),
        ]
        for (code, message) in cases {
            let (workbench, error) = try runScenario(boot + code)
            XCTAssertTrue(error?.shown.contains(message) ?? false, "\(code)\n  got: \(error?.shown ?? "no error")\n  expected: \(message)")
            XCTAssertEqual(workbench.session.space.regions.count, 0, "still mapped after: \(code)")
            workbench.session.releaseAll()
        }
    }

    // MARK: The jvm pack's scenarios

    private func runPackScenario(_ name: String, _ settings: [(String, String)]) throws -> Workbench {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("plugins/jvm/\(name).lua").path
        let workbench = try Workbench(budget: .standard())
        _ = try workbench.run(file: file, settings: settings)
        return workbench
    }

    func testG1RegionsScenarioShrinksAndUncommitsInPacedRuns() throws {
        let workbench = try runPackScenario("g1-regions", [("xmx", "512m"), ("xms", "16m"), ("churn", "32m"), ("grow", "300m")])
        defer { workbench.session.releaseAll() }
        guard case .table(let runs, _)? = result(workbench, "uncommit_runs") else { return XCTFail("no uncommit runs") }
        XCTAssertGreaterThanOrEqual(runs.count, 2)
        XCTAssertTrue(runs.allSatisfy { ($0["bytes"]?.integerValue ?? .max) <= 128 << 20 }, "\(runs)")
        let times = runs.compactMap { $0["time_ms"]?.integerValue }
        XCTAssertEqual(zip(times, times.dropFirst()).map { $1 - $0 }, Array(repeating: 10, count: times.count - 1))
        let full = try XCTUnwrap(result(workbench, "full_collection"))
        XCTAssertLessThan(full["used_after"]?.integerValue ?? .max, full["used_before"]?.integerValue ?? 0)
        XCTAssertGreaterThan(result(workbench, "grow")?["expanded"]?.integerValue ?? 0, 100 << 20)
    }

    func testHumongousScenarioFollowsTheHalfRegionRule() throws {
        let workbench = try runPackScenario("humongous", [("region", "4m")])
        defer { workbench.session.releaseAll() }
        guard case .table(let cases, _)? = result(workbench, "cases") else { return XCTFail("no cases") }
        XCTAssertEqual(cases.map { $0["humongous"] }, [.boolean(false), .boolean(true), .boolean(true), .boolean(true)])
        XCTAssertEqual(cases[2]["regions"], .integer(3), "two and a half regions take three")
        XCTAssertEqual(result(workbench, "reclaimed"), .integer(1))
        let used = result(workbench, "humongous_used")?.integerValue ?? 0
        let committed = result(workbench, "humongous_committed")?.integerValue ?? 0
        XCTAssertEqual(committed - used, (4 << 20) / 2 - 8 + (4 << 20) / 2, "the tails of the first two objects' last regions")
    }

    func testMetaspaceScenarioReclaimsPerRelease() throws {
        for (jdk, shrinks) in [("17", true), ("25", false)] {
            let workbench = try runPackScenario("metaspace", [("jdk", jdk), ("loaders", "2"), ("classes", "700"), ("nonclass", "48k"), ("max", "0")])
            defer { workbench.session.releaseAll() }
            guard case .table(let unloads, _)? = result(workbench, "unloads") else { return XCTFail("no unloads") }
            let last = try XCTUnwrap(unloads.last)
            XCTAssertLessThan(last["committed_after"]?.integerValue ?? .max, 1 << 20, "JDK \(jdk): committed memory goes back")
            let reservedShrank = (last["reserved_after"]?.integerValue ?? 0) < (unloads[0]["reserved_before"]?.integerValue ?? 0)
            XCTAssertEqual(reservedShrank, shrinks, "JDK \(jdk)")
        }
    }
}
