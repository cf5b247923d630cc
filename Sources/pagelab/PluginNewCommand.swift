import ArgumentParser
import Foundation
import PageLabLua

struct PluginNewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new", abstract: "Write a working pack to start from: a scenario, a module it requires, and a test.")

    @Argument(help: "The pack's name: a letter, then letters, digits, '-' or '_'.")
    var name: String

    @Option(help: ArgumentHelp("The folder to make the pack's folder in.", valueName: "folder"))
    var dir: String = FileManager.default.currentDirectoryPath

    func run() throws {
        do {
            let folder = try PackSkeleton.create(name, in: dir)
            print("""
                created pack '\(name)' in \(folder)
                try it:  PAGELAB_PLUGINS=\(dir) pagelab run \(name)/touch
                test it: PAGELAB_PLUGINS=\(dir) pagelab run \(name)/selftest
                """)
        } catch {
            throw error.exit
        }
    }
}
