import LuaBridge
import XCTest

struct ScriptedReader: LineReader {
    var lines: [String]
    var prompts: [String] = []
    mutating func readLine(prompt: String) -> String? {
        prompts.append(prompt)
        return lines.isEmpty ? nil : lines.removeFirst()
    }
    mutating func addHistory(_ line: String) {}
}

final class REPLTests: XCTestCase {
    func session(_ lines: [String]) throws -> (out: String, err: String, prompts: [String]) {
        let vm = try LuaVM()
        var out = "", err = ""
        var repl = LuaREPL(
            vm: vm, reader: ScriptedReader(lines: lines), write: { out += $0 }, writeError: { err += $0 })
        repl.run()
        return (out, err, repl.reader.prompts)
    }

    func testExpressionsStatementsAndContinuations() throws {
        let result = try session([
            "1 + 1", "=2 * 21", "x = 10", "x", "for i = 1, 2 do", "y = (y or 0) + i", "end", "y",
            "{ 1, 2, b = 'x', a = { true } }", "'text'", "nil", "1, 'two'",
        ])
        XCTAssertEqual(result.out, """
            2
            42
            10
            3
            { 1, 2, a = { true }, b = "x" }
            text
            nil
            1\ttwo


            """)
        XCTAssertEqual(result.err, "")
        XCTAssertEqual(result.prompts.filter { $0 == ">> " }.count, 2)
    }

    func testErrorsAreShownAndTheLoopGoesOn() throws {
        let result = try session(["error('boom')", "x = = 1", "return 5"])
        XCTAssertTrue(result.err.hasPrefix("stdin:1: boom\nstack traceback:"), result.err)
        XCTAssertTrue(result.err.contains("stdin:1: unexpected symbol near '='\n"))
        XCTAssertEqual(result.out, "5\n\n")
    }

    func testEndOfInputInsideAStatementEndsCleanly() throws {
        let result = try session(["for i = 1, 2 do"])
        XCTAssertEqual(result.err, "")
        XCTAssertEqual(result.out, "\n")
    }
}
