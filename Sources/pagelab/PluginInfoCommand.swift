import ArgumentParser
import PageLabLua

struct PluginInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show a pack's manifest: every field, and its scenarios with their descriptions.")

    @Argument(help: "The pack's name.")
    var name: String

    func run() throws {
        let catalog = PluginCatalog(searchPaths: PluginCatalog.defaultSearchPaths())
        guard let pack = catalog.pack(name) else {
            if let problem = catalog.broken.first(where: { $0.pack == name }) { throw usageError("\(problem) (the pack is broken)") }
            throw usageError("no pack named '\(name)' (packs: \(catalog.packs.map(\.name).joined(separator: ", ")))")
        }
        let fields = [
            ("name", pack.name), ("version", pack.version), ("api", String(pack.api)), ("description", pack.description),
            ("author", pack.author), ("license", pack.license), ("folder", pack.folder), ("from", pack.origin.rawValue),
        ]
        let scenarios = pack.scenarios.map { ["  \(pack.name)/\($0.name)", $0.description] }
        print(TextTable.render(rows: fields.map { [$0.0 + ":", $0.1] }))
        print("\nscenarios:")
        print(TextTable.render(rows: scenarios))
    }
}
