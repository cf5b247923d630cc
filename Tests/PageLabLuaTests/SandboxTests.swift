import Foundation
import LuaBridge
import PageCore
@testable import PageLabLua
import XCTest

/// The sandbox of a pack from outside the project, run in-process on a temporary pack.
final class SandboxTests: XCTestCase {
    private var folder = ""
    private var pack: String { folder + "/evil" }
    private var output: String { folder + "/out" }

    override func setUpWithError() throws {
        // Short: Lua shortens chunk names past 60 bytes in messages.
        folder = "/tmp/plsb-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: pack, withIntermediateDirectories: true)
        try "return 42\n".write(toFile: pack + "/helper.lua", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    private func policy(timeout: UInt64 = 5_000_000_000, luaMemory: Int = 64 << 20) -> RunPolicy {
        RunPolicy(
            sandbox: Sandbox(pack: "evil", packFolder: pack, outputFolder: output),
            limits: RunLimits(timeout: .init(timeout, text: "\(timeout / 1_000_000)ms"), luaMemory: .init(luaMemory, text: "\(luaMemory >> 20)m")))
    }

    /// Runs `body` as the scenario `name.lua` of the pack, sandboxed, and returns the error shown.
    private func run(_ body: String, policy: RunPolicy? = nil, budget: CommitBudget = .standard(), backend: Backend = .model(.likeHost())) throws -> (Workbench, String?) {
        let file = pack + "/bad.lua"
        try body.write(toFile: file, atomically: true, encoding: .utf8)
        let workbench = try Workbench(budget: budget, backend: backend)
        workbench.policy = policy ?? self.policy()
        do {
            try workbench.run(file: file, settings: [])
            return (workbench, nil)
        } catch let error as BudgetExceededError {
            return (workbench, error.error.message)
        } catch {
            return (workbench, error.shown)
        }
    }

    func testForbiddenFunctionsNameThemselvesThePackAndTheLine() throws {
        let forbidden = [
            ("os.execute", "os.execute('true')"), ("os.exit", "os.exit(3)"), ("os.remove", "os.remove('x')"),
            ("os.rename", "os.rename('a', 'b')"), ("os.tmpname", "os.tmpname()"), ("os.getenv", "os.getenv('HOME')"),
            ("io.popen", "io.popen('ls')"), ("debug.getinfo", "debug.getinfo(1)"), ("debug.sethook", "debug.sethook()"),
            ("package.loadlib", "package.loadlib('libc.so.6', 'puts')"), ("string.dump", "string.dump(print)"),
            ("string.dump", "('x'):dump()"),
        ]
        for (name, call) in forbidden {
            let (_, error) = try run("local x = 1\n\(call)\n")
            XCTAssertEqual(error, "\(pack)/bad.lua:2: \(name) is not available in the sandbox of pack 'evil' (run with --trust to allow it)", call)
        }
    }

    func testTheCollectorMayBeAskedButNotStoppedOrRetuned() throws {
        XCTAssertNil(try run("collectgarbage() collectgarbage('step') assert(collectgarbage('isrunning')) assert(collectgarbage('count') > 0)").1)
        for option in ["stop", "incremental", "generational", "setpause"] {
            let (_, error) = try run("collectgarbage('\(option)')")
            XCTAssertEqual(error, "\(pack)/bad.lua:1: collectgarbage(\"\(option)\") is not available in the sandbox of pack 'evil' (run with --trust to allow it)")
        }
        let (_, finalizer) = try run("setmetatable({}, { __gc = function() while true do end end })")
        XCTAssertEqual(finalizer, "\(pack)/bad.lua:1: a __gc metamethod is not available in the sandbox of pack 'evil' (run with --trust to allow it)")
    }

    func testCodeLoadsAsTextAndOnlyFromThePack() throws {
        XCTAssertNil(try run("assert(dofile('\(pack)/helper.lua') == 42) assert(loadfile('\(pack)/helper.lua')() == 42) assert(load('return 1')() == 1)").1)
        let (_, binary) = try run("local f, e = load('\\27Lua', 'x', 'b') error(e)")
        XCTAssertTrue(binary?.contains("attempt to load a binary chunk (mode is 't')") ?? false, binary ?? "no error")
        let (_, outside) = try run("dofile('/etc/hostname')")
        XCTAssertEqual(outside, "\(pack)/bad.lua:1: dofile cannot load '/etc/hostname' in the sandbox of pack 'evil': only files in its pack folder (\(pack)) load as code (run with --trust to allow it)")
        let (_, escape) = try run("loadfile('\(pack)/../../../../etc/hostname')")
        XCTAssertTrue(escape?.contains("loadfile cannot load") ?? false, escape ?? "no error")
        // No file or native searcher is left for require, whatever package.path says.
        let (_, native) = try run("package.cpath = '/usr/lib/x86_64-linux-gnu/lua/5.4/?.so' package.path = '/etc/?' require 'hostname'")
        XCTAssertTrue(native?.contains("module 'hostname' not found") ?? false, native ?? "no error")
        XCTAssertNil(try run("assert(require('pagelab') == pl) assert(require('string') == string)").1)
    }

    func testFilesAreReadInThePackAndOutputFoldersAndWrittenOnlyInTheOutputFolder() throws {
        XCTAssertNil(try run("""
            assert(pl.output == '\(output)')
            local f = assert(io.open(pl.output .. '/result.txt', 'w')) f:write('42') f:close()
            assert(io.open(pl.output .. '/result.txt'):read('a') == '42')
            assert(io.lines('\(pack)/helper.lua')() == 'return 42')
            """).1)
        XCTAssertEqual(try String(contentsOfFile: output + "/result.txt", encoding: .utf8), "42")
        let (_, write) = try run("io.open('\(folder)/escape.txt', 'a')")
        XCTAssertEqual(write, "\(pack)/bad.lua:1: io.open cannot write '\(folder)/escape.txt' in the sandbox of pack 'evil': only the output folder (\(output)) is writable (run with --trust to allow it)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/escape.txt"))
        let (_, read) = try run("io.lines('/etc/hostname')")
        XCTAssertTrue(read?.hasPrefix("\(pack)/bad.lua:1: io.lines cannot read '/etc/hostname'") ?? false, read ?? "no error")
        // A symbolic link inside the output folder does not lead out of it.
        try FileManager.default.createSymbolicLink(atPath: output + "/link", withDestinationPath: folder)
        let (_, link) = try run("io.output('\(output)/link/escape.txt')")
        XCTAssertTrue(link?.contains("io.output cannot write") ?? false, link ?? "no error")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/escape.txt"))
    }

    func testBudgetsStopTheScenarioAndEveryMappingIsReleased() throws {
        let before = processMappings()
        let (looping, timeout) = try run("""
            local pl = require "pagelab"
            return { run = function()
              local r = pl.reserve("8m") r:commit(0, "8m") r:touch(0, "1m")
              while true do pcall(function() while true do end end) end
            end }
            """, policy: policy(timeout: 200_000_000))
        XCTAssertEqual(timeout, "\(pack)/bad.lua:4: the scenario ran past its time budget (--timeout 200ms)")
        XCTAssertEqual(looping.session.mappedRegionCount, 1)
        looping.session.releaseAll()
        XCTAssertEqual(looping.session.mappedRegionCount, 0)
        let (greedy, budget) = try run("local r <close> = pl.reserve('64m') r:commit(0, '64m') r:touch(0, '64m')", budget: CommitBudget(limit: 8 << 20), backend: .host)
        XCTAssertTrue(budget?.hasPrefix("\(pack)/bad.lua:1: commit budget exceeded") ?? false, budget ?? "no error")
        greedy.session.releaseAll()
        XCTAssertEqual(processMappings().subtracting(before), [])
    }

    func testTheLuaMemoryLimitStopsAScenarioThatAllocatesWithoutEnd() throws {
        let (hog, memory) = try run("return { run = function() local t = {} while true do t[#t + 1] = { #t } end end }", policy: policy(luaMemory: 16 << 20))
        XCTAssertEqual(memory, "\(pack)/bad.lua:1: the scenario ran past its Lua memory limit (--lua-memory 16m)")
        XCTAssertEqual(hog.vm.exceededBudget, .memory)
    }

    func testTheDeclarationRunsInTheSandboxToo() throws {
        let file = pack + "/top.lua"
        try "os.execute('true')\nreturn { run = function() end }".write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Workbench.declaration(ofFile: file, policy: policy())) { error in
            XCTAssertEqual(error.shown, "\(file):1: os.execute is not available in the sandbox of pack 'evil' (run with --trust to allow it)")
        }
        XCTAssertNoThrow(try Workbench.declaration(ofFile: file, policy: .trusted))
    }

    func testOnlyPacksOutsideTheProjectAreSandboxed() throws {
        try """
            return { name = 'evil', version = '1.0', api = 1, description = 'd', author = 'a', license = 'MIT',
              scenarios = { { name = 's', file = 'helper.lua', description = 'd' } } }
            """.write(toFile: pack + "/plugin.lua", atomically: true, encoding: .utf8)
        let catalog = PluginCatalog(searchPaths: [folder, PluginCatalog.projectPluginsFolder()!])
        let outsider = try XCTUnwrap(catalog.packs.first { $0.name == "evil" })
        let own = try XCTUnwrap(catalog.packs.first { $0.name == "host" })
        XCTAssertFalse(outsider.isProjectPack)
        XCTAssertTrue(own.isProjectPack)
        let sandboxed = RunPolicy.forScenario(pack: outsider, scenario: "x", trust: false, timeout: nil, luaMemory: nil, output: nil)
        XCTAssertEqual(sandboxed.sandbox?.outputFolder, "out/evil-x")
        XCTAssertEqual(sandboxed.limits, .untrusted)
        XCTAssertEqual(RunPolicy.forScenario(pack: outsider, scenario: "x", trust: true, timeout: nil, luaMemory: nil, output: nil), .trusted)
        XCTAssertEqual(RunPolicy.forScenario(pack: own, scenario: "x", trust: false, timeout: nil, luaMemory: nil, output: nil), .trusted)
        let file = RunPolicy.forScenario(pack: nil, scenario: "", trust: false, timeout: .init(1_000_000_000, text: "1s"), luaMemory: nil, output: nil)
        XCTAssertNil(file.sandbox)
        XCTAssertEqual(file.limits.timeout?.value, 1_000_000_000)
    }
}

