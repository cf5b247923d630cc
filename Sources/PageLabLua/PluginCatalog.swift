import Foundation
import LuaBridge

/// A plugin pack: a folder with a `plugin.lua` manifest, one file per scenario, and the modules
/// its scenarios `require` under the pack's name (DESIGN §4).
public struct PluginPack: Sendable, Equatable {
    public let name: String
    public let version: String
    public let api: Int
    public let description: String
    public let author: String
    public let license: String
    public let folder: String
    public let origin: PackOrigin
    public let scenarios: [PackScenario]
}

public struct PackScenario: Sendable, Equatable {
    public let name: String
    public let file: String
    public let description: String
}

/// Where a pack was found. Only packs in the user's folder are installed and removed by
/// `pagelab plugin`; the project's own are part of PageLab.
public enum PackOrigin: String, Sendable {
    case environment = "PAGELAB_PLUGINS"
    case project
    case user
}

/// The packs PageLab can see, in search order: the folders of `PAGELAB_PLUGINS`, the project's
/// `plugins/`, the user's data folder. The first pack of a name wins. A broken pack is reported,
/// never fatal: the others still list and run.
public struct PluginCatalog: Sendable {
    /// The PageLab API versions a manifest's `api` may name.
    public static let supportedAPIVersions = 1...1
    public static var apiVersion: Int { supportedAPIVersions.upperBound }

    /// The packs of the default search path, read once per process (for `require` of pack modules).
    public static let discovered = PluginCatalog(searchPaths: defaultSearchPaths())

    public private(set) var packs: [PluginPack] = []
    /// Packs that could not be read, and packs hidden by an earlier one of the same name.
    public private(set) var broken: [PackProblem] = []

    public var problems: [String] { broken.map(\.description) }

    /// Reads every pack folder (a folder holding a `plugin.lua`) of each search path in turn.
    /// `environment` tells which search path is the user's folder.
    public init(searchPaths: [String], environment: [String: String] = ProcessInfo.processInfo.environment) {
        let project = Self.projectPluginsFolder().map(Self.standardized)
        let user = Self.userPluginsFolder(environment: environment).map(Self.standardized)
        var searched = Set<String>()
        for folder in searchPaths.map(Self.standardized) where searched.insert(folder).inserted {
            let origin: PackOrigin = folder == project ? .project : folder == user ? .user : .environment
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.sorted() ?? []
            for entry in entries where !entry.hasPrefix(".") {
                let packFolder = folder + "/" + entry
                guard FileManager.default.fileExists(atPath: packFolder + "/" + PackManifest.fileName) else { continue }
                do {
                    add(try PackManifest.load(packFolder, origin: origin))
                } catch {
                    broken.append(error)
                }
            }
        }
    }

    private mutating func add(_ pack: PluginPack) {
        guard let earlier = packs.first(where: { $0.name == pack.name }) else {
            packs.append(pack)
            return
        }
        let manifest = pack.folder + "/" + PackManifest.fileName
        let text = FileManager.default.contents(atPath: manifest).map { String(decoding: $0, as: UTF8.self) } ?? ""
        broken.append(PackProblem(
            pack: pack.name, folder: pack.folder, file: manifest, line: PackManifest.lineOfField("name", in: text),
            message: "a pack named '\(pack.name)' was already found in \(earlier.folder) (\(earlier.origin.rawValue)), which comes first in the search order; this one is ignored"))
    }

    /// The pack named `name`.
    public func pack(_ name: String) -> PluginPack? { packs.first { $0.name == name } }

    /// `PAGELAB_PLUGINS` (colon-separated), then the `plugins/` folder of the project that holds
    /// the executable, then `$XDG_DATA_HOME/pagelab/plugins`.
    public static func defaultSearchPaths(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var paths = environment["PAGELAB_PLUGINS"].map { $0.split(separator: ":").map(String.init) } ?? []
        if let project = projectPluginsFolder() { paths.append(project) }
        if let user = userPluginsFolder(environment: environment) { paths.append(user) }
        return paths
    }

    /// Where `pagelab plugin install` puts packs: `$XDG_DATA_HOME/pagelab/plugins`, by default
    /// `~/.local/share/pagelab/plugins` (the XDG base directory rules: a relative
    /// `XDG_DATA_HOME` is ignored).
    public static func userPluginsFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/pagelab/plugins" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/share/pagelab/plugins"
    }

    /// The `plugins/` beside the `Package.swift` above the running executable (`.build/.../pagelab`).
    public static func projectPluginsFolder() -> String? {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let plugins = folder.appendingPathComponent("plugins").path
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path),
               FileManager.default.fileExists(atPath: plugins) {
                return plugins
            }
            folder.deleteLastPathComponent()
        }
        return nil
    }

    static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The scenario at `address` ("pack/scenario").
    public func scenario(_ address: String) throws(ScenarioError) -> (pack: PluginPack, scenario: PackScenario) {
        let parts = address.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw ScenarioError("'\(address)' is not a scenario address (PACK/SCENARIO) or a file") }
        guard let pack = pack(parts[0]) else {
            if let problem = broken.first(where: { $0.pack == parts[0] }) {
                throw ScenarioError("\(problem) (the pack is broken)")
            }
            let known = packs.map(\.name).joined(separator: ", ")
            throw ScenarioError("no pack named '\(parts[0])' (packs: \(known.isEmpty ? "none found" : known))")
        }
        guard let scenario = pack.scenarios.first(where: { $0.name == parts[1] }) else {
            throw ScenarioError("pack '\(pack.name)' has no scenario '\(parts[1])' (scenarios: \(pack.scenarios.map(\.name).joined(separator: ", ")))")
        }
        return (pack, scenario)
    }
}
