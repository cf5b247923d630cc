import ArgumentParser
import PageLabLua

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the plugin packs and their scenarios.")

    func run() throws {
        let catalog = PluginCatalog(searchPaths: PluginCatalog.defaultSearchPaths())
        for problem in catalog.problems { printError("pagelab: warning: \(problem)") }
        var blocks: [String] = []
        for pack in catalog.packs {
            let rows = pack.scenarios.map { ["  \(pack.name)/\($0.name)", $0.description] }
            blocks.append("\(pack.name) \(pack.version): \(pack.description)\n" + TextTable.render(rows: rows))
        }
        print(blocks.isEmpty ? "no plugin packs found" : blocks.joined(separator: "\n\n"))
    }
}
