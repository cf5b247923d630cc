import ArgumentParser
import Foundation
import PageCore
import PageLabLua

/// `pagelab meta`: LuaLS definitions of the Lua API, for completion and type checks in editors.
struct Meta: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write LuaLS definitions (---@meta) of the Lua API, for completion in editors.",
        discussion: "Example: pagelab meta -o pagelab.meta.lua, then list it in .luarc.json's workspace.library.")

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Write to this file (default: standard output); to a folder (one that exists or a name ending in /), one file per module, where `require` finds them.",
        valueName: "path"))
    var output: String?

    func run() throws {
        // Nothing is mapped: the workbench is made only for its registrations.
        let catalog = try Workbench(budget: CommitBudget(limit: 0)).vm.catalog
        guard let output else {
            print(MetaDefinitions.file(catalog), terminator: "")
            return
        }
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: output, isDirectory: &isFolder)
        do {
            if output.hasSuffix("/") || (exists && isFolder.boolValue) {
                for (path, text) in MetaDefinitions.files(catalog) {
                    let file = URL(fileURLWithPath: output).appendingPathComponent(path)
                    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try text.write(to: file, atomically: true, encoding: .utf8)
                }
            } else {
                try MetaDefinitions.file(catalog).write(toFile: output, atomically: true, encoding: .utf8)
            }
        } catch {
            printError("pagelab: cannot write \(output): \(error.localizedDescription)")
            throw ExitCode.failure
        }
    }
}
