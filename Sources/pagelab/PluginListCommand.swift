import ArgumentParser
import PageLabLua

struct PluginListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the packs: version, scenarios, where each was found; and the broken ones, with why.")

    func run() {
        let catalog = PluginCatalog(searchPaths: PluginCatalog.defaultSearchPaths())
        var blocks: [String] = []
        if !catalog.packs.isEmpty {
            let rows = catalog.packs.map { [$0.name, $0.version, String($0.scenarios.count), $0.origin.rawValue, $0.folder] }
            blocks.append(TextTable.render(header: ["pack", "version", "scenarios", "from", "folder"], rows: rows, rightAligned: [2]))
        }
        if !catalog.broken.isEmpty {
            blocks.append("broken packs:\n" + catalog.problems.map { "  " + $0 }.joined(separator: "\n"))
        }
        print(blocks.isEmpty ? "no plugin packs found" : blocks.joined(separator: "\n\n"))
    }
}
