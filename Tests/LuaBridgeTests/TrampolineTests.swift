import LuaBridge
import Synchronization
import XCTest

/// Counts live instances, so a test can see whether an error skipped a Swift release.
final class Tracked {
    static let live = Atomic<Int>(0)
    let payload = [Int](repeating: 7, count: 16)
    init() { Self.live.add(1, ordering: .relaxed) }
    deinit { Self.live.subtract(1, ordering: .relaxed) }
}

final class TrampolineTests: XCTestCase {
    func makeVM() throws -> LuaVM {
        let vm = try LuaVM()
        vm.registerModule(
            "t",
            functions: [
                LuaFunction("fail", summary: "raises after holding Swift objects") { call in
                    let held = (0..<3).map { _ in Tracked() }
                    throw LuaRaise("failed holding \(held.count)")
                },
                LuaFunction("argfail", summary: "rejects its argument") { call in
                    let held = Tracked()
                    _ = held
                    _ = try call.integer(1)
                    return 0
                },
                LuaFunction("add", summary: "adds two integers") { call in
                    call.push(try call.integer(1) + call.integer(2))
                    return 1
                },
                LuaFunction("opts", summary: "reads options") { call in
                    let options = try call.options(1, allowed: ["name", "size"])
                    call.push(try options?.string("name") ?? "none")
                    return 1
                },
            ], global: "t")
        return vm
    }

    func testTenThousandErrorsFromSwiftLeakNothing() throws {
        let vm = try makeVM()
        let before = Tracked.live.load(ordering: .relaxed)
        try vm.run("""
            for i = 1, 5000 do
              local ok, err = pcall(t.fail)
              assert(not ok and err:find("failed holding 3", 1, true))
              ok, err = pcall(t.argfail, {})
              assert(not ok and err:find("number expected, got table", 1, true))
            end
            """)
        vm.collectGarbage()
        XCTAssertEqual(Tracked.live.load(ordering: .relaxed), before, "a Swift object outlived its raised error")
        // The VM's own memory returns to what an idle loop leaves: errors accumulate nothing.
        let settled = vm.memoryInUse
        try vm.run("for i = 1, 10000 do pcall(t.fail) end")
        vm.collectGarbage()
        XCTAssertLessThan(vm.memoryInUse, settled + 4096)
        XCTAssertEqual(Tracked.live.load(ordering: .relaxed), before)
    }

    func testArgumentErrorsReadLikeLuasOwn() throws {
        let vm = try makeVM()
        let cases: [(String, String)] = [
            ("t.add({}, 1)", "bad argument #1 to 'add' (number expected, got table)"),
            ("t.add(1)", "bad argument #2 to 'add' (number expected, got no value)"),
            ("t.add(1, 2.5)", "bad argument #2 to 'add' (number has no integer representation)"),
            ("t.opts({nmae = 'x'})", "bad argument #1 to 'opts' (unknown option 'nmae' (valid: name, size))"),
            ("t.opts({name = 3})", "bad argument #1 to 'opts' (option 'name': string expected, got number)"),
            ("t.opts(true)", "bad argument #1 to 'opts' (table expected, got boolean)"),
        ]
        for (code, expected) in cases {
            XCTAssertThrowsError(try vm.run(code, chunkName: "=case")) { error in
                XCTAssertEqual((error as? LuaScriptError)?.message, "case:1: " + expected, code)
            }
        }
        XCTAssertEqual(try vm.run("return t.add(40, 2)"), [.integer(42)])
        XCTAssertEqual(try vm.run("return t.opts({name = 'x'}), t.opts()"), [.string("x"), .string("none")])
    }

    func testRaisedErrorsCarryTheCallersPositionAndATraceback() throws {
        let vm = try makeVM()
        XCTAssertThrowsError(try vm.run("local x = 1\nt.fail()", chunkName: "@scenario.lua")) { error in
            let error = error as? LuaScriptError
            XCTAssertEqual(error?.message, "scenario.lua:2: failed holding 3")
            XCTAssertEqual(error?.kind, .runtime)
            XCTAssertTrue(error?.traceback?.hasPrefix("stack traceback:") ?? false)
            XCTAssertTrue(error?.traceback?.contains("scenario.lua:2") ?? false)
        }
    }

    func testSyntaxErrorsAndBinaryChunksAreRejected() throws {
        let vm = try makeVM()
        XCTAssertThrowsError(try vm.run("x = = 1", chunkName: "=bad")) { error in
            XCTAssertEqual((error as? LuaScriptError)?.kind, .syntax)
            XCTAssertEqual((error as? LuaScriptError)?.message, "bad:1: unexpected symbol near '='")
        }
        XCTAssertThrowsError(try vm.run("\u{1B}Lua", chunkName: "=bin")) { error in
            XCTAssertTrue((error as? LuaScriptError)?.message.contains("attempt to load a binary chunk") ?? false)
        }
    }

    func testMemoryLimitStopsScriptsButNotSwiftFunctions() throws {
        let vm = try makeVM()
        vm.memoryLimit = vm.memoryInUse + 256 * 1024
        XCTAssertThrowsError(try vm.run("local t = {} for i = 1, 1e7 do t[i] = i end")) { error in
            XCTAssertEqual((error as? LuaScriptError)?.kind, .memory)
        }
        vm.memoryLimit = 0
        XCTAssertEqual(try vm.run("return 1 + 1"), [.integer(2)])
    }

    func testValuesRoundTrip() throws {
        let vm = try makeVM()
        let value = try vm.run("return { 1, 'two', 3.5, name = 'x', nested = { ok = true }, [0] = 9 }")
        XCTAssertEqual(
            value,
            [.table(
                array: [.integer(1), .string("two"), .number(3.5)],
                record: ["name": .string("x"), "nested": .table(array: [], record: ["ok": .boolean(true)]), "0": .integer(9)])])
        XCTAssertThrowsError(try vm.run("local t = {} t.t = t return t")) { error in
            XCTAssertTrue("\(error)".contains("nested deeper than 64"))
        }
    }
}
