import ArgumentParser
import Foundation
import PageLabLua

/// `--trust`, `--timeout`, `--lua-memory`, `--output`: how far a scenario may reach (README,
/// "Sandbox").
struct SandboxOptions: ParsableArguments {
    @Flag(help: "Run a pack from outside the project without its sandbox and default budgets.")
    var trust = false

    @Option(help: ArgumentHelp("Stop the scenario after this long (500ms, 2s, 2m); 60s by default for packs outside the project.", valueName: "duration"))
    var timeout: String?

    @Option(name: .customLong("lua-memory"), help: ArgumentHelp("Cap the scenario's Lua memory (64m, 1g); 256m by default for packs outside the project.", valueName: "size"))
    var luaMemory: String?

    @Option(help: ArgumentHelp("The folder a sandboxed scenario may write (default: out/PACK-SCENARIO).", valueName: "dir"))
    var output: String?

    /// The policy for `target`, and the pack it belongs to (nil for a file).
    func policy(for target: String) throws -> (policy: RunPolicy, pack: PluginPack?) {
        let timeoutLimit: RunLimits.Limit<UInt64>?
        let memoryLimit: RunLimits.Limit<Int>?
        do {
            timeoutLimit = try timeout.map(RunLimits.timeout)
            memoryLimit = try luaMemory.map(RunLimits.luaMemory)
        } catch {
            throw ValidationError(error.message)
        }
        let located = ScenarioLocator.pack(for: target)
        let policy = RunPolicy.forScenario(
            pack: located?.pack, scenario: located?.scenario ?? "", trust: trust, timeout: timeoutLimit,
            luaMemory: memoryLimit, output: output)
        return (policy, located?.pack)
    }
}

extension ScenarioLocator {
    /// The pack and scenario name of a PACK/SCENARIO target; nil for a file.
    static func pack(for target: String) -> (pack: PluginPack, scenario: String)? {
        guard !FileManager.default.fileExists(atPath: target),
              let found = try? PluginCatalog.discovered.scenario(target) else { return nil }
        return (found.pack, found.scenario.name)
    }
}

/// The last resort behind `--timeout`: the budget hook runs between Lua instructions, so a scenario
/// stuck in one long call into C (a pathological string pattern) or in a finalizer outlives it.
/// Past the budget plus a grace period the process says so and exits with status 124; the kernel
/// unmaps everything it held.
enum HardDeadline {
    static let grace: UInt64 = 2_000_000_000

    /// Starts the watch; cancel the returned item once the scenario has returned.
    static func arm(after timeout: RunLimits.Limit<UInt64>, pack: String?) -> DispatchWorkItem {
        let message = "pagelab: \(pack.map { "pack '\($0)': " } ?? "")the scenario is stuck in a call the time budget cannot interrupt (a string pattern or a finalizer) \(grace / 1_000_000_000)s past --timeout \(timeout.text); exiting"
        let watch = DispatchWorkItem {
            FileHandle.standardError.write(Data((message + "\n").utf8))
            _exit(124)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(timeout.value + grace)), execute: watch)
        return watch
    }
}
