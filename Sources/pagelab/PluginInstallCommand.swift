import ArgumentParser
import PageLabLua

struct PluginInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Check a pack (archive or folder) and install it into $XDG_DATA_HOME/pagelab/plugins.")

    @Argument(help: ArgumentHelp("An archive of `pagelab plugin pack`, or a pack folder.", valueName: "file|folder"))
    var source: String

    @Flag(help: "Replace an installed pack of the same name with different contents.")
    var force = false

    func run() throws {
        do {
            print(try PackInstaller().install(source, force: force))
        } catch {
            throw error.exit
        }
    }
}
