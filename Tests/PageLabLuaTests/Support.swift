import Foundation
import LuaBridge
import PageCore
@testable import PageLabLua

/// The process's mappings as /proc/self/maps lists them, minus those other threads may make or
/// drop while a test runs (glibc malloc arenas end on 64 MiB boundaries; the stack moves).
func processMappings() -> Set<String> {
    // /proc files report size 0, so read them to the end rather than by their size.
    let text = String(decoding: FileHandle(forReadingAtPath: "/proc/self/maps")!.readDataToEndOfFile(), as: UTF8.self)
    return Set(text.split(separator: "\n").map(String.init).filter { line in
        let range = line.split(separator: " ")[0].split(separator: "-").compactMap { UInt($0, radix: 16) }
        return !line.hasSuffix("[stack]") && !line.hasSuffix("[heap]") && range.count == 2 && range[1] % (64 << 20) != 0
    })
}

/// Runs `source` as a scenario file and returns the workbench (still open) and the error, if any.
func runScenario(_ source: String, settings: [(String, String)] = [], budget: CommitBudget = .standard())
    throws -> (Workbench, Error?)
{
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("pagelab-test-\(UUID().uuidString).lua").path
    try source.write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }
    let workbench = try Workbench(budget: budget)
    do {
        try workbench.run(file: file, settings: settings)
        return (workbench, nil)
    } catch {
        return (workbench, error)
    }
}

extension Error {
    /// The message a user sees: a Lua error's first line, or the description.
    var shown: String { (self as? LuaScriptError)?.message ?? "\(self)" }
}
