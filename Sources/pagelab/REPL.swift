import ArgumentParser
import Foundation
import LuaBridge
import PageCore
import PageLabLua

struct REPL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Work interactively: a Lua prompt with `pl` (the pagelab module) loaded.")

    @Argument(help: ArgumentHelp("A file to run first; its globals stay.", valueName: "file"))
    var file: String?

    @OptionGroup var budget: BudgetOption

    @OptionGroup var backend: BackendOption

    func run() throws {
        let workbench = try Workbench(budget: try budget.commitBudget(), backend: try backend.selected())
        defer { workbench.session.releaseAll() }
        Interruption.arm()
        if let file {
            do {
                try workbench.run(file: try ScenarioLocator.file(for: file), settings: [])
            } catch {
                throw ScriptFailure.from(error)
            }
        }
        guard isatty(STDIN_FILENO) != 0 else {
            // As lua.c: standard input that is not a terminal is a script.
            let source = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            do {
                try workbench.vm.run(source, chunkName: "=stdin")
            } catch {
                throw ScriptFailure.from(error)
            }
            return
        }
        print("PageLab \(HostManifest.pagelabVersion) (Lua 5.4): `pl` is the pagelab module; Ctrl-D quits.")
        let history = ProcessInfo.processInfo.environment["HOME"].map { $0 + "/.pagelab_history" }
        var repl = LuaREPL(
            vm: workbench.vm, reader: EditLineReader(historyFile: history),
            beforeStatement: { Interruption.clear() },
            lineWasInterrupted: {
                let interrupted = Interruption.pending
                Interruption.clear()
                return interrupted
            },
            write: { text in
                print(text, terminator: "")
                fflush(nil)
            },
            writeError: { text in printError(String(text.dropLast())) })
        repl.run()
    }
}
