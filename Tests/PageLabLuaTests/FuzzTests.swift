import Foundation
import LuaBridge
@testable import PageCore
@testable import PageLabLua
import XCTest

/// Random bytes and random Lua to the scenario loader and the manifest reader, and random call
/// sequences with random arguments to the API, in the sandbox with small budgets. Each case must
/// end in success or an error value, and leave no mapping behind. Deterministic: the seed
/// (PAGELAB_FUZZ_SEED, else fixed) and the case are printed with every failure;
/// PAGELAB_FUZZ_CASES sets how many cases run (10,000 by default).
final class FuzzTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = "/tmp/plfz-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder + "/pack", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    func testRandomInputNeverCrashesOrLeaksAMapping() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["PAGELAB_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED_2026
        let cases = environment["PAGELAB_FUZZ_CASES"].flatMap { Int($0) } ?? 10_000
        var fuzzer = LuaFuzzer(seed: seed)
        try warmUp()
        let before = processMappings()
        var outcomes: [String: Int] = [:]
        for number in 0..<cases {
            let kind = number % 20
            let label = "seed \(seed), case \(number)"
            let outcome: String
            switch kind {
            case 0, 1: outcome = try loadBytes(fuzzer.bytes(), label: label)
            case 2: outcome = try loadManifest(fuzzer.manifest(), label: label)
            case 3: outcome = try runScenario(fuzzer.program(), host: true, label: label)
            default: outcome = try runScenario(fuzzer.program(), host: false, label: label)
            }
            outcomes[outcome, default: 0] += 1
        }
        let after = processMappings()
        XCTAssertLessThanOrEqual(after.count, before.count, "seed \(seed): mappings left behind: \(after.subtracting(before).sorted())")
        // The generator reaches every outcome; a fuzzer that only ever hits syntax errors tests little.
        for expected in ["ok", "error", "budget", "declaration"] {
            XCTAssertGreaterThan(outcomes[expected] ?? 0, 0, "seed \(seed): no case ended as \(expected): \(outcomes)")
        }
        print("fuzz: seed \(seed), \(cases) cases: \(outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
    }

    /// Makes what the process keeps after a first use (glibc's cache of thread stacks and its
    /// malloc arenas for touch workers) exist before the mappings are counted, so that the count
    /// after the cases sees only what the cases left.
    private func warmUp() throws {
        let outcome = try runScenario("""
            local pl = require 'pagelab'
            local r <close> = pl.reserve('8m')
            r:commit()
            r:touch(0, '8m', { threads = 2 })
            """, host: true, label: "warm-up")
        XCTAssertEqual(outcome, "ok")
    }

    /// Loops of Lua end at the instruction budget; loops of API calls (which Lua does not count)
    /// at the time budget.
    private var policy: RunPolicy {
        RunPolicy(
            sandbox: Sandbox(pack: "fuzz", packFolder: folder + "/pack", outputFolder: folder + "/out"),
            limits: RunLimits(
                timeout: .init(100_000_000, text: "100ms"), luaMemory: .init(16 << 20, text: "16m"),
                instructions: .init(50_000, text: "50k")))
    }

    /// Random bytes as a scenario file: read for its declaration, as `pagelab info` does.
    private func loadBytes(_ bytes: [UInt8], label: String) throws -> String {
        let file = folder + "/pack/bytes.lua"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        do {
            _ = try Workbench.declaration(ofFile: file, policy: policy)
            return "declaration"
        } catch {
            return classify(error, source: "\(bytes)", label: label)
        }
    }

    private func loadManifest(_ source: String, label: String) throws -> String {
        try source.write(toFile: folder + "/pack/plugin.lua", atomically: true, encoding: .utf8)
        do {
            _ = try PackManifest.load(folder + "/pack", origin: .environment)
            return "declaration"
        } catch {
            return "error"
        }
    }

    private func runScenario(_ source: String, host: Bool, label: String) throws -> String {
        let file = folder + "/pack/scenario.lua"
        try source.write(toFile: file, atomically: true, encoding: .utf8)
        let workbench = try Workbench(budget: CommitBudget(limit: host ? 16 << 20 : 256 << 20), backend: host ? .host : .model(.likeHost()))
        workbench.policy = policy
        var outcome = "ok"
        do {
            try workbench.run(file: file, settings: [])
        } catch {
            outcome = classify(error, source: source, label: label)
        }
        workbench.session.releaseAll()
        XCTAssertEqual(workbench.session.mappedRegionCount, 0, "\(label): regions left after releaseAll\n\(source)")
        return outcome
    }

    /// An error value a user would see; anything else fails the case.
    private func classify(_ error: Error, source: String, label: String) -> String {
        switch error {
        case is BudgetExceededError: return "budget"
        case is LuaScriptError, is ScenarioError: return "error"
        default:
            XCTFail("\(label): unexpected error \(type(of: error)): \(error)\n\(source)")
            return "unexpected"
        }
    }
}

/// Programs from a small grammar of PageLab calls with arguments of every kind (good, wrong type,
/// negative, huge, misspelt, closed handles), loops, pcall, coroutines and errors.
struct LuaFuzzer {
    private var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next(below: UInt64(items.count)))] }
    private mutating func chance(_ percent: UInt64) -> Bool { random.next(below: 100) < percent }

    static let numbers = ["0", "1", "-1", "7", "4096", "-4096", "65536", "1048576", "(1 << 62)", "math.mininteger",
                          "math.maxinteger", "3.5", "0/0", "1/0", "-0.0", "2^53", "4095"]
    static let sizes = ["'4k'", "'64k'", "'1m'", "'2m'", "'8m'", "'0'", "'-1m'", "'1t'", "'9999999999g'", "'abc'", "''",
                        "'4K'", "'1.5m'", "'2M'"]
    static let words = ["'rw'", "'none'", "'r'", "'rwx'", "'x'", "'hugepage'", "'dontneed'", "'populate_write'", "'bogus'",
                        "'interleave'", "'bind'", "'local'", "'-Xmx64m'", "'-XX:+UseG1GC'", "'2-socket'", "'\\0'"]
    static let tables = ["{}", "{ name = 'x' }", "{ threads = 2 }", "{ threads = -1 }", "{ threads = 1000 }", "{ align = '2m' }",
                         "{ bogus = 1 }", "{ write = false }", "{ stride = 0 }", "{ stride = -1 }", "{ width = 0 }", "{ rows = -5 }",
                         "{ policy = 'interleave', nodes = { 0 } }", "{ policy = 'bind', nodes = { 7 } }", "{ 1, 2, 3 }",
                         "{ '-Xmx64m' }", "{ '-Xmx64m', '-XX:+UseG1GC', jdk = 17 }", "{ '-Xmx1t' }", "{ '-Xbogus' }",
                         "{ pattern = 'random', accesses = 1000, page = '4k', extents = { { size = '1m', page = '4k' } } }",
                         "{ pattern = 'chase', accesses = 100, region = R[1] }", "{ backend = 'model', numa = '2-socket' }",
                         "{ numa = 'bogus' }", "{ hugetlb = '2m' }", "{ name = 'ws', type = 'size', default = '1m' }"]
    static let others = ["nil", "true", "false", "print", "R[1]", "R[2]", "R[3]", "S", "J", "coroutine.create(print)",
                         "setmetatable({}, { __index = function() error('index') end })", "'x'"]
    static let regionMethods = ["commit", "uncommit", "lock", "unlock", "touch", "walk", "protect", "advise", "stats", "smaps",
                                "map", "bind", "migrate", "nodes", "numa_maps", "touch_pages", "close"]
    static let jvmMethods = ["heap", "allocate", "young_gc", "full_gc", "regions", "region_map", "region_stats", "uncommit",
                             "workload", "gc_log", "class_loader", "load_classes", "unload", "metaspace", "loaders", "chunks",
                             "nmt", "summary", "detail", "log", "report", "close"]
    static let moduleCalls = ["pl.snapshot", "pl.diff", "pl.record", "pl.process", "pl.host", "pl.report", "pl.page_size",
                              "pl.size", "pl.format", "pl.now", "numa.topology", "numa.presets", "numa.get_policy",
                              "numa.numastat", "numa.numa_maps", "numa.access_cost", "tlb.config", "tlb.reach", "tlb.split",
                              "tlb.walk", "jvm.configure", "safepoint.mechanisms", "safepoint.orderings", "safepoint.duration",
                              "safepoint.parse_log"]
    static let sandboxed = ["os.execute('true')", "io.open('/etc/hostname')", "io.popen('ls')", "debug.getinfo(1)",
                            "load('\\27Lua')", "collectgarbage('stop')", "string.dump(print)", "require('socket')"]

    mutating func value() -> String {
        switch random.next(below: 5) {
        case 0: return pick(Self.numbers)
        case 1: return pick(Self.sizes)
        case 2: return pick(Self.words)
        case 3: return pick(Self.tables)
        default: return pick(Self.others)
        }
    }

    private mutating func arguments() -> String {
        (0..<random.next(below: 4)).map { _ in value() }.joined(separator: ", ")
    }

    mutating func statement(depth: Int = 0) -> String {
        let slot = "R[\(random.next(below: 3) + 1)]"
        let simple: String
        switch random.next(below: depth > 1 ? 14 : 20) {
        case 0, 1: simple = "\(slot) = pl.reserve(\(pick(Self.sizes)), \(value()))"
        case 2: simple = "\(slot) = pl.reserve(\(arguments()))"
        case 3, 4, 5: simple = "\(slot):\(pick(Self.regionMethods))(\(arguments()))"
        case 6: simple = "local _ = \(slot).name, \(slot).size, \(slot).base"
        case 7: simple = "\(pick(Self.moduleCalls))(\(arguments()))"
        case 8: simple = chance(50) ? "S = pl.space(\(value()))" : "\(slot) = S:reserve(\(pick(Self.sizes)))"
        case 9: simple = chance(30) ? "J = jvm.boot(\(value()))" : "J:\(pick(Self.jvmMethods))(\(arguments()))"
        case 10: simple = "\(slot) = nil collectgarbage()"
        case 11: simple = pick(Self.sandboxed)
        case 12: simple = "error(\(value()))"
        case 13: simple = "local t = {} for i = 1, \(pick(["10", "1e4", "1e9"])) do t[i] = { i } end"
        case 14: simple = "for i = 1, \(random.next(below: 5) + 1) do \(statement(depth: depth + 1)) end"
        case 15: simple = "while true do \(statement(depth: depth + 1)) end"
        case 16: simple = "coroutine.wrap(function() \(statement(depth: depth + 1)) end)()"
        case 17: simple = "if \(value()) then \(statement(depth: depth + 1)) else \(statement(depth: depth + 1)) end"
        case 18: simple = "xpcall(function() \(statement(depth: depth + 1)) end, function(e) return \(value()) end)"
        default: simple = "local s = string.rep('x', \(pick(Self.numbers)))"
        }
        return chance(80) ? "pcall(function() \(simple) end)" : simple
    }

    mutating func program() -> String {
        var lines = ["local pl = require 'pagelab'", "local numa = require 'pagelab.numa'", "local tlb = require 'pagelab.tlb'",
                     "local jvm = require 'pagelab.jvm'", "local safepoint = require 'pagelab.safepoint'", "R, S, J = {}, nil, nil"]
        let body = (0..<(random.next(below: 10) + 2)).map { _ in statement() }.joined(separator: "\n")
        if chance(60) {
            lines.append(body)
        } else {
            let params = (0..<random.next(below: 3)).map { _ in
                chance(70) ? "{ name = 'p\(random.next(below: 3))', type = \(pick(["'size'", "'integer'", "'boolean'", "'bogus'"])), default = \(value()) }" : value()
            }
            lines.append("return { description = \(value()), params = { \(params.joined(separator: ", ")) }, backends = \(pick(["nil", "{ 'model', 'host' }", "{ 'gpu' }", "{}"])), run = function(p)\n\(body)\nend }")
        }
        return lines.joined(separator: "\n")
    }

    /// Random bytes, a binary chunk's signature, or a program with a few bytes changed.
    mutating func bytes() -> [UInt8] {
        switch random.next(below: 3) {
        case 0: return (0..<random.next(below: 200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        case 1: return Array("\u{1B}Lua".utf8) + (0..<random.next(below: 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        default:
            var text = Array(program().utf8)
            for _ in 0..<(random.next(below: 4) + 1) where !text.isEmpty {
                text[Int(random.next(below: UInt64(text.count)))] = UInt8(truncatingIfNeeded: random.next())
            }
            return text
        }
    }

    mutating func manifest() -> String {
        if chance(20) { return String(decoding: bytes(), as: UTF8.self) }
        let name = pick(["'fuzz'", "'bad name'", "''", "42", "nil", "'a-b_c'"])
        let scenario = pick(["{ name = 's', file = 'scenario.lua' }", "{ name = 's', file = 'missing.lua' }", "{ file = 'x' }",
                             "{ name = 's', file = '../../etc/hostname' }", "42", "{ name = 's', file = 'plugin.lua', description = {} }"])
        let statement = chance(30) ? self.statement() + "\n" : ""
        return "\(statement)return { name = \(name), version = \(pick(["'1.0'", "1", "nil"])), api = \(pick(["1", "2", "'1'", "nil", "1.5"])), scenarios = \(pick(["nil", "{}", "{ \(scenario) }", "'x'"])) }"
    }
}
