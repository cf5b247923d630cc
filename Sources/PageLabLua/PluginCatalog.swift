import Foundation
import LuaBridge

/// A plugin pack: a folder with a `plugin.lua` manifest and one file per scenario (DESIGN §4).
public struct PluginPack: Sendable {
    public let name: String
    public let version: String
    public let api: Int
    public let description: String
    public let folder: String
    public let scenarios: [PackScenario]
}

public struct PackScenario: Sendable {
    public let name: String
    public let file: String
    public let description: String
}

/// The packs PageLab can see, in search order: the folders of `PAGELAB_PLUGINS`, the project's
/// `plugins/`, the user's data folder. A broken pack is reported, never fatal: the others still
/// list and run.
public struct PluginCatalog: Sendable {
    public static let apiVersion = 1

    public private(set) var packs: [PluginPack] = []
    public private(set) var problems: [String] = []

    public init(searchPaths: [String]) {
        var seen = Set<String>()
        for folder in searchPaths {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.sorted() ?? []
            for entry in entries {
                let packFolder = folder + "/" + entry
                guard FileManager.default.fileExists(atPath: packFolder + "/plugin.lua") else { continue }
                do {
                    let pack = try Self.load(packFolder)
                    if seen.insert(pack.name).inserted {
                        packs.append(pack)
                    } else {
                        problems.append("\(packFolder): a pack named '\(pack.name)' was found earlier in the search path; this one is ignored")
                    }
                } catch {
                    problems.append("\(error)")
                }
            }
        }
    }

    /// `PAGELAB_PLUGINS` (colon-separated), then the `plugins/` folder of the project that holds
    /// the executable, then `$XDG_DATA_HOME/pagelab/plugins`.
    public static func defaultSearchPaths(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var paths = environment["PAGELAB_PLUGINS"].map { $0.split(separator: ":").map(String.init) } ?? []
        if let project = projectPluginsFolder() { paths.append(project) }
        let dataHome = environment["XDG_DATA_HOME"] ?? (environment["HOME"].map { $0 + "/.local/share" } ?? "")
        if !dataHome.isEmpty { paths.append(dataHome + "/pagelab/plugins") }
        return paths
    }

    /// The `plugins/` beside the `Package.swift` above the running executable (`.build/.../pagelab`).
    static func projectPluginsFolder() -> String? {
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

    /// The scenario at `address` ("pack/scenario").
    public func scenario(_ address: String) throws(ScenarioError) -> (pack: PluginPack, scenario: PackScenario) {
        let parts = address.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw ScenarioError("'\(address)' is not a scenario address (PACK/SCENARIO) or a file") }
        guard let pack = packs.first(where: { $0.name == parts[0] }) else {
            let known = packs.map(\.name).joined(separator: ", ")
            throw ScenarioError("no pack named '\(parts[0])' (packs: \(known.isEmpty ? "none found" : known))")
        }
        guard let scenario = pack.scenarios.first(where: { $0.name == parts[1] }) else {
            throw ScenarioError("pack '\(pack.name)' has no scenario '\(parts[1])' (scenarios: \(pack.scenarios.map(\.name).joined(separator: ", ")))")
        }
        return (pack, scenario)
    }

    /// Reads and checks a manifest. It runs in a Lua state of its own with only the standard
    /// libraries: a manifest declares, it does no memory work.
    static func load(_ folder: String) throws(ScenarioError) -> PluginPack {
        let file = folder + "/plugin.lua"
        let manifest: LuaValue
        do {
            manifest = try LuaVM().runFile(file).value
        } catch {
            throw ScenarioError("\(file): \(error)")
        }
        func field(_ key: String) throws(ScenarioError) -> String {
            guard let text = manifest[key]?.stringValue, !text.isEmpty else {
                throw ScenarioError("\(file): the manifest has no '\(key)' string")
            }
            return text
        }
        let name = try field("name")
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ScenarioError("\(file): pack name '\(name)' may hold only letters, digits, '-' and '_'")
        }
        guard let api = manifest["api"]?.integerValue else { throw ScenarioError("\(file): the manifest has no integer 'api'") }
        guard api == apiVersion else {
            throw ScenarioError("\(file): pack '\(name)' needs PageLab API \(api); this PageLab has API \(apiVersion)")
        }
        guard case .table(let list, _)? = manifest["scenarios"] else {
            throw ScenarioError("\(file): the manifest has no 'scenarios' list")
        }
        var scenarios: [PackScenario] = []
        for (index, entry) in list.enumerated() {
            guard let scenarioName = entry["name"]?.stringValue, let scenarioFile = entry["file"]?.stringValue else {
                throw ScenarioError("\(file): scenario #\(index + 1) needs a 'name' and a 'file'")
            }
            let path = folder + "/" + scenarioFile
            guard FileManager.default.fileExists(atPath: path) else {
                throw ScenarioError("\(file): scenario '\(scenarioName)' names a missing file '\(scenarioFile)'")
            }
            scenarios.append(PackScenario(name: scenarioName, file: path, description: entry["description"]?.stringValue ?? ""))
        }
        return PluginPack(
            name: name, version: try field("version"), api: api, description: manifest["description"]?.stringValue ?? "",
            folder: folder, scenarios: scenarios)
    }
}
