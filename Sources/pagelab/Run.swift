import ArgumentParser
import Foundation
import LuaBridge
import PageCore
import PageLabLua

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario: a file, or PACK/SCENARIO from a plugin pack.")

    @Argument(help: ArgumentHelp("A scenario file, or PACK/SCENARIO.", valueName: "scenario"))
    var target: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Set a scenario parameter.", valueName: "name=value"))
    var settings: [String] = []

    @Option(help: ArgumentHelp("Write the result document to this file.", valueName: "file"))
    var json: String?

    @OptionGroup var budget: BudgetOption

    @OptionGroup var backend: BackendOption

    @OptionGroup var report: ReportOptions

    @OptionGroup var sandbox: SandboxOptions

    @Flag(help: "Keep the process and its memory alive after the scenario, until standard input closes or SIGTERM arrives.")
    var hold = false

    func run() throws {
        let pairs = try settings.map { setting -> (String, String) in
            guard let equals = setting.firstIndex(of: "="), equals != setting.startIndex else {
                throw ValidationError("--set takes name=value, not '\(setting)'")
            }
            return (String(setting[..<equals]), String(setting[setting.index(after: equals)...]))
        }
        let file = try ScenarioLocator.file(for: target)
        let (policy, pack) = try sandbox.policy(for: target)
        let workbench = try Workbench(budget: try budget.commitBudget(), backend: try backend.selected())
        workbench.policy = policy
        workbench.session.deferReleases = hold
        try report.start(workbench)
        Interruption.arm()
        var parameters: [(name: String, value: LuaValue)] = []
        var status = "ok"
        var failure: Error?
        let watch = policy.limits.timeout.map { HardDeadline.arm(after: $0, pack: pack?.name) }
        do {
            parameters = try workbench.run(file: file, settings: pairs)
        } catch {
            status = Interruption.pending ? "interrupted" : "error"
            failure = error
        }
        func resultDocument() -> JSON {
            RunReport.json(scenario: target, parameters: parameters, session: workbench.session, host: HostInfo.current(), status: status)
        }
        if !Interruption.pending {
            do {
                _ = try workbench.callReportHook(resultDocument())
            } catch {
                status = "error"
                failure = failure ?? error
            }
        }
        watch?.cancel()
        let document = resultDocument()
        report.finish(workbench.session, document: document, status: status)
        if let json {
            do {
                try (document.serialized() + "\n").write(toFile: json, atomically: true, encoding: .utf8)
            } catch {
                printError("pagelab: cannot write \(json): \(error.localizedDescription)")
            }
        }
        if failure == nil, hold { Hold.wait(regions: workbench.session.mappedRegionCount) }
        workbench.session.releaseAll()
        if let failure { throw ScriptFailure.from(failure, pack: pack?.name) }
    }
}

/// A mistake in what the user asked for: said once, without the usage text, with status 64.
func usageError(_ message: String) -> ExitCode {
    printError("Error: \(message)")
    return ExitCode.validationFailure
}

/// Finds the file of a scenario given as a path or as PACK/SCENARIO.
enum ScenarioLocator {
    static func file(for target: String) throws -> String {
        if FileManager.default.fileExists(atPath: target) { return target }
        if target.hasSuffix(".lua") { throw usageError("no such file: \(target)") }
        do {
            return try PluginCatalog(searchPaths: PluginCatalog.defaultSearchPaths()).scenario(target).scenario.file
        } catch {
            throw usageError(error.message)
        }
    }
}

/// How a failed scenario ends the process: `file:line: message` (after `pack 'NAME': ` for a pack's
/// scenario) and the traceback on standard error and status 1; status 124 when it ran past its
/// time budget (as coreutils' `timeout`), or 130 after Ctrl-C, as a shell expects.
enum ScriptFailure {
    static func from(_ error: Error, pack: String? = nil) -> Error {
        if Interruption.pending {
            printError("pagelab: interrupted")
            return ExitCode(130)
        }
        let prefix = pack.map { "pack '\($0)': " } ?? ""
        if let exceeded = error as? BudgetExceededError {
            printError(prefix + exceeded.error.message)
            if let traceback = exceeded.error.traceback { printError(traceback) }
            return ExitCode(exceeded.budget == .time ? 124 : 1)
        }
        if let error = error as? LuaScriptError {
            printError(prefix + error.message)
            if let traceback = error.traceback { printError(traceback) }
            return ExitCode(1)
        }
        if let error = error as? ScenarioError { return usageError(error.message) }
        return error
    }
}
