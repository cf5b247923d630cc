import ArgumentParser

@main
struct PageLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pagelab",
        abstract: "A scriptable workbench for memory management: Lua scenarios, real mmap, page-level statistics.",
        version: "0.1.0",
        subcommands: [Run.self, REPL.self, List.self, Info.self, Plugin.self, JVMCommand.self, Doctor.self, Meta.self, Diff.self],
        defaultSubcommand: REPL.self)
}
