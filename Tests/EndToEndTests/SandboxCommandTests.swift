import Foundation
import XCTest

/// Packs from outside the project that misbehave, run as a user runs them: each gets a message
/// naming the pack, the file and the line, and PageLab goes on.
final class SandboxCommandTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        // Short: Lua shortens chunk names past 60 bytes in messages.
        folder = "/tmp/plsc-" + UUID().uuidString.prefix(8)
        try write("evil/plugin.lua", """
            return { name = "evil", version = "1.0", api = 1, description = "misbehaves", author = "a", license = "MIT",
              scenarios = {
                { name = "loop", file = "loop.lua", description = "loops for ever" },
                { name = "hog", file = "hog.lua", description = "allocates Lua memory without end" },
                { name = "shell", file = "shell.lua", description = "calls os.execute" },
                { name = "greedy", file = "greedy.lua", description = "touches past the budget" },
                { name = "pattern", file = "pattern.lua", description = "a pattern that backtracks for ages" },
                { name = "write", file = "write.lua", description = "writes its result" },
              } }
            """)
        try write("evil/loop.lua", "return { run = function()\n  local n = 0\n  while true do pcall(function() while true do n = n + 1 end end) end\nend }\n")
        try write("evil/hog.lua", "return { run = function()\n  local t = {}\n  while true do t[#t + 1] = { #t } end\nend }\n")
        try write("evil/shell.lua", "return { run = function()\n  print('before')\n  os.execute('touch \(folder)/pwned')\nend }\n")
        try write("evil/greedy.lua", "local pl = require 'pagelab'\nreturn { run = function()\n  local r <close> = pl.reserve('64m')\n  r:commit(0, '64m')\n  r:touch(0, '64m')\nend }\n")
        try write("evil/pattern.lua", "return { run = function()\n  string.find(string.rep('a', 40), string.rep('a*', 30) .. 'b')\nend }\n")
        try write("evil/write.lua", "local pl = require 'pagelab'\nreturn { run = function()\n  local f = assert(io.open(pl.output .. '/result.txt', 'w'))\n  f:write('42') f:close()\n  io.open('\(folder)/escape.txt', 'w')\nend }\n")
        try write("good/plugin.lua", """
            return { name = "good", version = "1.0", api = 1, description = "behaves", author = "a", license = "MIT",
              scenarios = { { name = "hello", file = "hello.lua", description = "says hello" } } }
            """)
        try write("good/util.lua", "return { greeting = 'hello from good' }\n")
        try write("good/hello.lua", "local util = require 'good.util'\nreturn { run = function() print(util.greeting) end }\n")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    private func write(_ name: String, _ text: String) throws {
        let path = folder + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func run(_ arguments: [String]) throws -> Pagelab.Result {
        try Pagelab.run(["run"] + arguments + ["--output", folder + "/out"], environment: ["PAGELAB_PLUGINS": folder])
    }

    private func firstLine(_ text: String) -> String { String(text.split(separator: "\n").first ?? "") }

    func testAScenarioThatLoopsForEverStopsAtItsTimeBudgetWithStatus124() throws {
        let result = try run(["evil/loop", "--timeout", "500ms"])
        XCTAssertEqual(result.status, 124)
        XCTAssertEqual(firstLine(result.stderr), "pack 'evil': \(folder)/evil/loop.lua:3: the scenario ran past its time budget (--timeout 500ms)")
    }

    func testAScenarioThatAllocatesWithoutEndStopsAtItsLuaMemoryLimit() throws {
        let result = try run(["evil/hog", "--lua-memory", "32m"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(firstLine(result.stderr), "pack 'evil': \(folder)/evil/hog.lua:3: the scenario ran past its Lua memory limit (--lua-memory 32m)")
    }

    func testAForbiddenFunctionIsNamedAndTrustLiftsTheSandbox() throws {
        let result = try run(["evil/shell"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "before\n")
        XCTAssertEqual(firstLine(result.stderr), "pack 'evil': \(folder)/evil/shell.lua:3: os.execute is not available in the sandbox of pack 'evil' (run with --trust to allow it)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/pwned"))
        let trusted = try run(["evil/shell", "--trust"])
        XCTAssertEqual(trusted.status, 0, trusted.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/pwned"))
    }

    func testTouchingPastTheCommitBudgetNamesTheLine() throws {
        let result = try run(["evil/greedy", "--budget", "8m"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(firstLine(result.stderr).hasPrefix("pack 'evil': \(folder)/evil/greedy.lua:5: commit budget exceeded: touch of 64M"), result.stderr)
    }

    func testWritesGoToTheOutputFolderOnly() throws {
        let result = try run(["evil/write"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(try String(contentsOfFile: folder + "/out/result.txt", encoding: .utf8), "42")
        XCTAssertEqual(firstLine(result.stderr), "pack 'evil': \(folder)/evil/write.lua:5: io.open cannot write '\(folder)/escape.txt' in the sandbox of pack 'evil': only the output folder (\(folder)/out) is writable (run with --trust to allow it)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/escape.txt"))
    }

    func testACallNoHookReachesEndsAtTheHardDeadline() throws {
        let result = try run(["evil/pattern", "--timeout", "200ms"])
        XCTAssertEqual(result.status, 124)
        XCTAssertEqual(result.stderr, "pagelab: pack 'evil': the scenario is stuck in a call the time budget cannot interrupt (a string pattern or a finalizer) 2s past --timeout 200ms; exiting\n")
    }

    /// The other packs list and run, sandboxed too: a pack's own modules still load.
    func testTheOtherPacksStillListAndRun() throws {
        _ = try run(["evil/loop", "--timeout", "200ms"])
        let list = try Pagelab.run(["list"], environment: ["PAGELAB_PLUGINS": folder])
        XCTAssertEqual(list.status, 0)
        XCTAssertEqual(list.stderr, "")
        XCTAssertTrue(list.stdout.hasPrefix("evil 1.0: misbehaves\n  evil/loop     loops for ever\n"), list.stdout)
        XCTAssertTrue(list.stdout.contains("good 1.0: behaves\n  good/hello  says hello\n"), list.stdout)
        let good = try run(["good/hello"])
        XCTAssertEqual(good.status, 0)
        XCTAssertEqual(good.stdout, "hello from good\n")
    }

    func testBadBudgetsAreUsageErrors() throws {
        let timeout = try run(["good/hello", "--timeout", "soon"])
        XCTAssertEqual(timeout.status, 64)
        XCTAssertTrue(timeout.stderr.contains("invalid --timeout 'soon'"), timeout.stderr)
        let memory = try run(["good/hello", "--lua-memory", "0"])
        XCTAssertEqual(memory.status, 64)
        XCTAssertTrue(memory.stderr.contains("--lua-memory must be larger than 0 (got '0')"), memory.stderr)
    }
}
