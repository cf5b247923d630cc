import ArgumentParser
import PageLabLua

struct Plugin: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make, pack, install, list, describe and remove plugin packs.",
        subcommands: [
            PluginNewCommand.self, PluginPackCommand.self, PluginInstallCommand.self, PluginListCommand.self,
            PluginInfoCommand.self, PluginRemoveCommand.self,
        ])
}

extension PackError {
    /// How a refused plugin command ends: the reason once, status 64.
    var exit: ExitCode { usageError(message) }
}
