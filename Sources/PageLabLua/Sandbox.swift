import Foundation
import LuaBridge

/// The sandbox of a pack that is not one of the project's own (DESIGN §4): the standard library
/// without what reaches outside the run (processes, the environment, native code, the debug
/// library, binary chunks, stopping the collector, finalizers), and files confined: a script reads
/// its pack folder and the run's output folder, and writes only the output folder.
public struct Sandbox: Sendable, Equatable {
    public let pack: String
    public let packFolder: String
    /// Where the pack may write, created on its first write; nil while a manifest is read.
    public let outputFolder: String?

    public init(pack: String, packFolder: String, outputFolder: String?) {
        self.pack = pack
        self.packFolder = packFolder
        self.outputFolder = outputFolder
    }

    /// The module name under which the prelude finds the path check (then removes it).
    static let checkModule = "'pagelab.sandbox'"

    /// Closes `vm` in: run before any code of the pack.
    func apply(to vm: LuaVM) throws {
        try vm.dropFileSearchers()
        vm.registerModule("pagelab.sandbox", functions: [
            LuaFunction("check", parameters: ["path: string", "access: string", "api: string"], returns: "string?",
                        summary: "The resolved path when the sandbox allows the access, else nil and why.") { call in
                switch check(call) {
                case .success(let path): call.push(path); return 1
                case .failure(let reason): call.pushNil(); call.push(reason.message); return 2
                }
            },
        ])
        try vm.load(SandboxPrelude.source, chunkName: SandboxPrelude.chunkName)
        _ = try vm.callFunctionOnTop(arguments: [.string(pack), outputFolder.map(LuaValue.string) ?? .nil])
    }

    enum Access: String {
        case read, write, code
    }

    private func check(_ call: LuaCall) -> Result<String, ScenarioError> {
        let api = call.string(at: 3) ?? "?"
        guard let path = call.string(at: 1) else {
            return .failure(ScenarioError("bad argument #1 to '\(api)' (string expected, got \(call.typeName(1)))"))
        }
        return check(path, access: Access(rawValue: call.string(at: 2) ?? "") ?? .write, api: api)
    }

    /// The real path `path` names when `access` to it is allowed.
    func check(_ path: String, access: Access, api: String) -> Result<String, ScenarioError> {
        var roots: [String] = []
        if access != .write, let folder = Self.realPath(packFolder) { roots.append(folder) }
        if access == .write, let outputFolder {
            try? FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true)
        }
        if access != .code, let folder = outputFolder.flatMap(Self.realPath) { roots.append(folder) }
        if let resolved = Self.resolve(path), roots.contains(where: { resolved == $0 || resolved.hasPrefix($0 + "/") }) {
            return .success(resolved)
        }
        let allowed: String
        switch access {
        case .read: allowed = "only its pack folder (\(packFolder))" + (outputFolder.map { " and the output folder (\($0)) are readable" } ?? " is readable")
        case .write: allowed = outputFolder.map { "only the output folder (\($0)) is writable" } ?? "a manifest writes no files"
        case .code: allowed = "only files in its pack folder (\(packFolder)) load as code"
        }
        let verb = access == .code ? "load" : access.rawValue
        return .failure(ScenarioError("\(api) cannot \(verb) '\(path)' in the sandbox of pack '\(pack)': \(allowed) (run with --trust to allow it)"))
    }

    /// The absolute path with every symbolic link and `..` resolved; for a file that does not exist
    /// yet, its folder's real path and its name.
    static func resolve(_ path: String) -> String? {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        if let real = realPath(absolute) { return real }
        let url = URL(fileURLWithPath: absolute)
        let name = url.lastPathComponent
        guard !name.isEmpty, name != ".", name != "..", let folder = realPath(url.deletingLastPathComponent().path) else { return nil }
        return folder + "/" + name
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
