import LuaBridge
import PageCore
import XCTest
@testable import PageLabLua

/// `pl.space{...}`, `require "pagelab.numa"` and `--backend model` through Lua.
final class ModelSpaceTests: XCTestCase {
    func results(_ workbench: Workbench) -> [String: LuaValue] {
        Dictionary(workbench.session.results.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
    }

    /// Bytes on `node` in a `nodes` table (node 0 is a record key, nodes from 1 the array part).
    func bytes(_ nodes: LuaValue?, _ node: Int) -> Int? {
        guard case .table(let array, let record)? = nodes else { return nil }
        return node >= 1 && node <= array.count ? array[node - 1].integerValue : record[String(node)]?.integerValue
    }

    func testAModelSpaceBesideTheHostOne() throws {
        let (workbench, error) = try runScenario("""
            local numa = require "pagelab.numa"
            local m = pl.space{ backend = "model", numa = { nodes = 2, memory = "16g", distance = {{10,21},{21,10}} } }
            local heap <close> = m:reserve("1t", { name = "heap", at = 0x600000000 })
            heap:commit(0, "1g")
            heap:bind(0, "1g", { policy = "interleave", nodes = {0, 1} })
            local op = heap:touch(0, "1g")
            local s = heap:stats()
            pl.record("nodes", s.nodes)
            pl.record("source", s.source)
            pl.record("op_source", op.source)
            pl.record("minflt", op.minflt)
            pl.record("pte", s.page_tables.pte)
            pl.record("backend", heap.backend)
            pl.record("space", m.backend)
            pl.record("topology", numa.topology(m).distance)
            pl.record("host_topology_source", numa.topology().source)
            pl.record("maps", heap:numa_maps())
            pl.record("numastat", numa.numastat(m))
            pl.record("process_rss", m:process().rss)
            pl.record("simulated_host", m:host().simulated)
            pl.record("described", tostring(m))
            """)
        XCTAssertNil(error, error?.shown ?? "")
        let results = results(workbench)
        XCTAssertEqual(bytes(results["nodes"], 0), 512 << 20)
        XCTAssertEqual(bytes(results["nodes"], 1), 512 << 20)
        XCTAssertEqual(results["source"], .string("simulated"))
        XCTAssertEqual(results["op_source"], .string("simulated"))
        XCTAssertEqual(results["minflt"], .integer((1 << 30) / HostInfo.pageSize))
        XCTAssertEqual(results["pte"], .integer(512))
        XCTAssertEqual(results["backend"], .string("model"))
        XCTAssertEqual(results["space"], .string("model"))
        XCTAssertEqual(results["topology"], .table(array: [.table(array: [.integer(10), .integer(21)], record: [:]),
                                                           .table(array: [.integer(21), .integer(10)], record: [:])], record: [:]))
        XCTAssertEqual(results["host_topology_source"], .string("measured"))
        XCTAssertEqual(results["maps"], .string("600000000 interleave:0-1 anon=262144 dirty=262144 N0=131072 N1=131072 kernelpagesize_kB=4  (heap)\n"
            + "640000000 default kernelpagesize_kB=4  (heap)"))
        let numastat = results["numastat"]?.stringValue ?? ""
        let rows = numastat.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertTrue(rows.contains(["heap", "512.00", "512.00", "1024.00"]), numastat)
        XCTAssertTrue(rows.contains(["interleave_hit", "131072", "131072"]), numastat)
        XCTAssertEqual(results["process_rss"], .integer(1 << 30))
        XCTAssertEqual(results["simulated_host"], .boolean(true))
        XCTAssertEqual(results["described"], .string("space (model: 2 nodes, 32G, THP \(SimulatedMachine.likeHost().thpMode), 4-level paging)"))
        XCTAssertTrue(workbench.session.extraSpaces.isEmpty == false)
        workbench.session.releaseAll()
        XCTAssertTrue(workbench.session.extraSpaces.isEmpty)
    }

    /// Seed 001: with 10% of accesses remote at distance 21, accesses cost 11% more.
    func testAccessCostReproducesTheSeedExample() throws {
        let (workbench, error) = try runScenario("""
            local numa = require "pagelab.numa"
            local m = pl.space{ numa = "2-socket" }
            local r = m:reserve("1g")
            r:commit()
            r:touch(0, pl.size("1g") * 9 // 10 // 4096 * 4096, { node = 0 })
            r:touch(pl.size("1g") * 9 // 10 // 4096 * 4096, nil, { node = 1 })
            local cost = numa.access_cost(r, { from = 0 })
            pl.record("relative", cost.relative)
            pl.record("extra", cost.extra)
            pl.record("remote", cost.remote)
            pl.record("spread", numa.access_cost(r, { from = {0, 1} }).relative)
            pl.record("local_only", numa.access_cost(r, { from = 1, offset = "960m", length = "64m" }).relative)
            """)
        XCTAssertNil(error, error?.shown ?? "")
        let results = results(workbench)
        guard case .number(let relative)? = results["relative"], case .number(let extra)? = results["extra"],
              case .number(let remote)? = results["remote"], case .number(let spread)? = results["spread"],
              case .number(let localOnly)? = results["local_only"] else { return XCTFail("\(results)") }
        XCTAssertEqual(remote, 0.1, accuracy: 0.001)
        XCTAssertEqual(relative, 1.11, accuracy: 0.001)
        XCTAssertEqual(extra, 0.11, accuracy: 0.001)
        XCTAssertEqual(spread, 1.55, accuracy: 0.001, "half the threads on each node: half the accesses remote")
        XCTAssertEqual(localOnly, 1.0, accuracy: 0.001)
    }

    func testThreadPolicyAndFallbackThroughLua() throws {
        let (workbench, error) = try runScenario("""
            local numa = require "pagelab.numa"
            local m = pl.space{ numa = { nodes = 2, memory = {"64m", "1g"} }, thp = "never" }
            numa.set_policy({ policy = "preferred", nodes = 0 }, m)
            pl.record("policy", numa.get_policy(m))
            local r = m:reserve("128m", { name = "r" })
            r:commit()
            r:touch()
            pl.record("nodes", r:stats().nodes)
            local moved = r:migrate(0, "16m", 1)
            pl.record("moved", moved.moved)
            pl.record("where", r:nodes(0, "8k"))
            """)
        XCTAssertNil(error, error?.shown ?? "")
        let results = results(workbench)
        XCTAssertEqual(results["policy"]?["policy"], .string("preferred"))
        XCTAssertEqual(bytes(results["nodes"], 0), 64 << 20)
        XCTAssertEqual(bytes(results["nodes"], 1), 64 << 20)
        XCTAssertEqual(results["moved"], .integer((16 << 20) / HostInfo.pageSize))
        XCTAssertEqual(results["where"], .table(array: [.integer(1), .integer(1)], record: [:]))
    }

    /// Impossible machines and policies: clear errors that name the value; nothing is left.
    func testBadInputNamesTheValueAndLeavesNothing() throws {
        let cases: [(String, String)] = [
            ("pl.space{ numa = { nodes = 2, memory = '1g', distance = {{10,21,21},{21,10,21}} } }",
             "bad argument #1 to 'space' (distance row 1 has 3 entries for 2 nodes)"),
            ("pl.space{ numa = { nodes = 2, memory = {'1g','1g','1g','1g','1g'} } }",
             "bad argument #1 to 'space' (memory lists 5 sizes for 2 nodes (give one size, or one per node))"),
            ("pl.space{ numa = { nodes = 2, memory = 0 } }", "bad argument #1 to 'space' (node 0 has memory 0; it must be positive)"),
            ("pl.space{ numa = 'octo' }", "bad argument #1 to 'space' (unknown topology preset 'octo'"),
            ("pl.space{ numa = { preset = '2-socket', nodes = 3 } }", "bad argument #1 to 'space' (numa.nodes cannot change preset '2-socket'"),
            ("pl.space{ backend = 'host', numa = '2-socket' }", "bad argument #1 to 'space' (option 'numa' applies only to backend 'model'"),
            ("pl.space{ backend = 'vm' }", "bad argument #1 to 'space' (option 'backend': expected one of host, model, got 'vm')"),
            ("pl.space{ thp = 'sometimes' }", "bad argument #1 to 'space' (THP mode 'sometimes' is not one of: always, madvise, never)"),
            ("pl.space{ hugetlb = { ['3m'] = 1 } }", "bad argument #1 to 'space' (hugetlb page size 3M is not one of 2M, 1G)"),
            ("local m = pl.space{ numa = { nodes = 2, memory = '1g' } }; local r = m:reserve('8m'); r:bind(0, '8m', { policy = 'bind', nodes = {5} })",
             "bad argument #3 to 'bind' (node 5 does not exist (nodes: 0-1))"),
            ("local m = pl.space{ numa = { nodes = 2, memory = '1g' } }; local r = m:reserve('8m'); r:bind(0, '8m', { policy = 'spread' })",
             "bad argument #3 to 'bind' (option 'policy': expected one of default, local, bind, preferred, preferred-many, interleave, weighted-interleave, got 'spread')"),
            ("local m = pl.space{ numa = { nodes = 2, memory = '1g' } }; require('pagelab.numa').set_policy({ policy = 'interleave', nodes = {0, 2} }, m)",
             "bad argument #1 to 'set_policy' (node 2 does not exist (nodes: 0-1))"),
            ("local m = pl.space{ hugetlb = { ['2m'] = 4 } }; m:reserve('16m', { hugetlb = '2m' })",
             "cannot reserve 16M of 2M hugetlb pages: it needs 8 free pages and the simulated pool has 4 of 4"),
            ("local m = pl.space{}; local r = m:reserve('8m'); r:touch(0, '4k', { node = 9 })", "bad argument #3 to 'touch' (node 9 does not exist"),
        ]
        for (code, message) in cases {
            let (workbench, error) = try runScenario(code)
            XCTAssertTrue(error?.shown.contains(message) ?? false, "\(code)\n  got: \(error?.shown ?? "no error")\n  expected: \(message)")
            for space in workbench.session.extraSpaces {
                XCTAssertTrue(space.regions.allSatisfy { (try? $0.policies().isEmpty) ?? true }, "a policy was set by: \(code)")
                XCTAssertTrue(space.regions.allSatisfy { (try? $0.stats().resident) == 0 }, "memory was touched by: \(code)")
                XCTAssertEqual(try space.threadPolicy(), .default, "the thread policy changed: \(code)")
            }
            workbench.session.releaseAll()
        }
    }

    func testTheModelBackendRunsAWholeScenarioAndDeclaredBackendsAreHonoured() throws {
        let source = """
            return {
              backends = { "host" },
              run = function() pl.record("ran", true) end,
            }
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pagelab-backends-\(UUID().uuidString).lua").path
        try source.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let model = try Workbench(budget: .standard(), backend: .model(.likeHost()))
        XCTAssertThrowsError(try model.run(file: file, settings: [])) {
            XCTAssertEqual(($0 as? ScenarioError)?.message, "\(file) runs only on the host backend (its `backends`), not on model")
        }
        XCTAssertTrue(model.session.results.isEmpty)
        let (_, refused) = try runScenario("return { backends = { 'gpu' }, run = function() end }")
        XCTAssertTrue(refused?.shown.contains("backends lists 'gpu' (expected a list of: host, model)") ?? false, refused?.shown ?? "")

        let simulated = try Workbench(budget: .standard(), backend: .model(.likeHost()))
        try simulated.vm.run("""
            local r = pl.reserve('1g', { name = 'big' })
            r:commit(); r:touch()
            pl.record('host', pl.host().simulated)
            pl.record('rss', pl.process().rss)
            pl.record('report', pl.report())
            """)
        let results = results(simulated)
        XCTAssertEqual(results["host"], .boolean(true))
        XCTAssertEqual(results["rss"], .integer(1 << 30))
        XCTAssertTrue(results["report"]?.stringValue?.contains("big") ?? false)
        simulated.session.releaseAll()
    }
}
