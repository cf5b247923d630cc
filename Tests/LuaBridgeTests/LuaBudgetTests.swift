import LuaBridge
import XCTest

/// The budget hook: a spent budget ends the chunk however the script tries to catch the error.
final class LuaBudgetTests: XCTestCase {
    /// Runs `source` under a small instruction budget and returns the error that ended it.
    private func runPastInstructions(_ source: String, file: StaticString = #filePath, line: UInt = #line) throws -> LuaScriptError {
        let vm = try LuaVM()
        vm.limitInstructions(200_000, message: "out of instructions")
        do {
            try vm.run(source, chunkName: "=spent")
        } catch let error as LuaScriptError {
            XCTAssertEqual(vm.exceededBudget, .instructions, file: file, line: line)
            return error
        }
        XCTFail("the chunk ended within its budget", file: file, line: line)
        throw LuaScriptError(kind: .runtime, message: "no error", traceback: nil)
    }

    func testAnEndlessLoopEndsWithItsLineAndTheMessage() throws {
        let error = try runPastInstructions("local n = 0\nwhile true do n = n + 1 end")
        XCTAssertEqual(error.message, "spent:2: out of instructions")
    }

    func testPcallCannotSwallowTheBudget() throws {
        let error = try runPastInstructions("""
            while true do
              pcall(function() while true do end end)
            end
            """)
        XCTAssertTrue(error.message.hasSuffix("out of instructions"), error.message)
    }

    func testXpcallHandlersAndCloseMethodsCannotEscape() throws {
        let handler = try runPastInstructions("""
            while true do
              xpcall(function() while true do end end, function(e) while true do end end)
            end
            """)
        XCTAssertTrue(handler.message.hasSuffix("out of instructions"), handler.message)
        let close = try runPastInstructions("""
            while true do
              pcall(function()
                local guard <close> = setmetatable({}, { __close = function() while true do end end })
                while true do end
              end)
            end
            """)
        XCTAssertTrue(close.message.hasSuffix("out of instructions"), close.message)
    }

    func testCoroutinesInheritTheBudget() throws {
        let wrapped = try runPastInstructions("""
            local loop = coroutine.wrap(function() while true do pcall(function() while true do end end) end end)
            loop()
            """)
        XCTAssertTrue(wrapped.message.hasSuffix("out of instructions"), wrapped.message)
        // resume catches errors like pcall: the budget must still end the outer loop.
        let resumed = try runPastInstructions("""
            while true do
              coroutine.resume(coroutine.create(function() while true do end end))
            end
            """)
        XCTAssertTrue(resumed.message.hasSuffix("out of instructions"), resumed.message)
    }

    func testASpentBudgetStaysSpent() throws {
        let vm = try LuaVM()
        vm.limitInstructions(10_000, message: "spent")
        XCTAssertThrowsError(try vm.run("while true do end"))
        XCTAssertThrowsError(try vm.run("local x = 0 for i = 1, 10 do x = x + i end return x"))
        XCTAssertEqual(vm.exceededBudget, .instructions)
    }

    func testAWithinBudgetChunkRunsUntouched() throws {
        let vm = try LuaVM()
        vm.limitInstructions(10_000_000, message: "spent")
        vm.limitMemory(vm.memoryInUse + 8 << 20, message: "too big")
        vm.limitTime(60_000_000_000, message: "too slow")
        XCTAssertEqual(try vm.run("local x = 0 for i = 1, 1000 do x = x + i end return x"), [.integer(500_500)])
        XCTAssertNil(vm.exceededBudget)
    }

    func testTheTimeBudgetEndsAnEndlessLoop() throws {
        let vm = try LuaVM()
        vm.limitTime(100_000_000, message: "the scenario ran past its time budget (--timeout 100ms)")
        XCTAssertThrowsError(try vm.run("while true do\n  pcall(function() while true do end end)\nend", chunkName: "@loop.lua")) { error in
            XCTAssertEqual((error as? LuaScriptError)?.message, "loop.lua:2: the scenario ran past its time budget (--timeout 100ms)")
        }
        XCTAssertEqual(vm.exceededBudget, .time)
    }

    func testTheMemoryBudgetCannotBeCaughtAndRetried() throws {
        let vm = try LuaVM()
        vm.limitMemory(vm.memoryInUse + 4 << 20, message: "the scenario ran past its Lua memory limit")
        // Each pcall catches "not enough memory" and frees what it built: without a sticky budget
        // this loop would run for ever.
        XCTAssertThrowsError(try vm.run("""
            while true do
              pcall(function() local t = {} for i = 1, 1e9 do t[i] = { i } end end)
              pcall(string.rep, "x", 1e9)
            end
            """, chunkName: "=hog")) { error in
            XCTAssertTrue((error as? LuaScriptError)?.message.hasPrefix("hog:") ?? false, "\(error)")
            XCTAssertTrue((error as? LuaScriptError)?.message.hasSuffix("the scenario ran past its Lua memory limit") ?? false, "\(error)")
        }
        XCTAssertEqual(vm.exceededBudget, .memory)
    }

    func testTheTickRunsAtMostOncePerIntervalWhileLuaRuns() throws {
        let vm = try LuaVM()
        var ticks = 0
        vm.setTick(every: 5_000_000) { ticks += 1 }
        let started = ContinuousClock.now
        try vm.run("local t = os.clock() while os.clock() - t < 0.1 do end")
        let elapsed = ContinuousClock.now - started
        let intervals = Int(elapsed / .milliseconds(5))
        XCTAssertGreaterThan(ticks, 0)
        XCTAssertLessThanOrEqual(ticks, intervals)
        XCTAssertNil(vm.exceededBudget, "a tick is not a budget")
    }
}
