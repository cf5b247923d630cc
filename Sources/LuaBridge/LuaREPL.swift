import CLua
import CLuaShim

/// The read-eval-print loop of `lua.c`: a line is first tried as `return <line>;` so that
/// expressions print their values, `=expr` is accepted as in Lua 5.2, and lines are accumulated
/// while the chunk is incomplete. Each line is its own chunk, so locals do not survive it; globals
/// do. Results are shown by a pretty printer; errors with their traceback, and the loop goes on.
public struct LuaREPL<Reader: LineReader> {
    public let vm: LuaVM
    public var reader: Reader
    /// Called before each statement runs: clears a pending interrupt so that an old Ctrl-C does
    /// not stop the next statement.
    public var beforeStatement: () -> Void
    /// Tells whether a nil line from the reader was an interrupt (Ctrl-C at the prompt), which
    /// discards the line, rather than the end of input.
    public var lineWasInterrupted: () -> Bool
    public var write: (String) -> Void
    public var writeError: (String) -> Void

    public init(
        vm: LuaVM, reader: Reader,
        beforeStatement: @escaping () -> Void = {},
        lineWasInterrupted: @escaping () -> Bool = { false },
        write: @escaping (String) -> Void,
        writeError: @escaping (String) -> Void
    ) {
        self.vm = vm
        self.reader = reader
        self.beforeStatement = beforeStatement
        self.lineWasInterrupted = lineWasInterrupted
        self.write = write
        self.writeError = writeError
    }

    /// Runs until the end of input.
    public mutating func run() {
        while true {
            switch readStatement() {
            case .end:
                write("\n")
                return
            case .discarded:
                write("\n")
            case .compiled:
                execute()
            case .failed(let error):
                writeError(error.message + "\n")
            }
        }
    }

    private enum Statement {
        case compiled, end, discarded
        case failed(LuaScriptError)
    }

    private func prompt(continuation: Bool) -> String { continuation ? ">> " : "> " }

    /// Reads and compiles one statement, leaving its function on the stack when `.compiled`.
    private mutating func readStatement() -> Statement {
        guard var line = reader.readLine(prompt: prompt(continuation: false)) else {
            return lineWasInterrupted() ? .discarded : .end
        }
        if line.hasPrefix("=") { line = "return " + line.dropFirst() }
        if (try? vm.load("return \(line);", chunkName: "=stdin")) != nil {
            reader.addHistory(line)
            return .compiled
        }
        var buffer = line
        while true {
            let status = buffer.withCString { text in
                luaL_loadbufferx(vm.state, text, buffer.utf8.count, "=stdin", "t")
            }
            if status == LUA_OK {
                reader.addHistory(buffer)
                return .compiled
            }
            guard shim_incomplete(vm.state, status) != 0 else {
                reader.addHistory(buffer)
                return .failed(vm.popError(status: status))
            }
            guard let more = reader.readLine(prompt: prompt(continuation: true)) else {
                return lineWasInterrupted() ? .discarded : .end
            }
            buffer += "\n" + more
        }
    }

    /// Runs the compiled statement on top of the stack and shows its results or its error.
    private func execute() {
        beforeStatement()
        let base = lua_gettop(vm.state) - 1
        let status = shim_docall(vm.state, 0, LUA_MULTRET)
        guard status == LUA_OK else {
            let error = vm.popError(status: status)
            writeError(error.message + "\n" + (error.traceback.map { $0 + "\n" } ?? ""))
            return
        }
        let count = lua_gettop(vm.state) - base
        guard count > 0 else { return }
        // Show the results with the pretty printer, itself under lua_pcall.
        PrettyPrinter.pushShow(vm)
        lua_rotate(vm.state, base + 1, 1)
        let shown = shim_docall(vm.state, count, 1)
        defer { lua_settop(vm.state, base) }
        guard shown == LUA_OK, let text = LuaCall(vm.state).string(at: -1) else {
            let error = vm.popError(status: shown)
            writeError("error showing the results: \(error.message)\n")
            return
        }
        write(text + "\n")
    }
}
