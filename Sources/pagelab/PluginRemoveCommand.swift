import ArgumentParser
import PageLabLua

struct PluginRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a pack installed in $XDG_DATA_HOME/pagelab/plugins (never one of the project's own).")

    @Argument(help: "The pack's name.")
    var name: String

    func run() throws {
        do {
            print(try PackInstaller().remove(name))
        } catch {
            throw error.exit
        }
    }
}
