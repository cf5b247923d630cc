import ArgumentParser
import Foundation

extension PageLab {
    /// `pagelab jvm` goes straight to `JVMOptions`, past ArgumentParser (issue 3's startup target,
    /// see `JVMOptions`); its help, and every other command, go through ArgumentParser.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.first == "jvm", !JVMOptions.asksForHelp(arguments) else {
            return main(nil)
        }
        do {
            try JVMOptions(parsing: Array(arguments.dropFirst())).run()
        } catch let error as ValidationError {
            // As ArgumentParser words a subcommand's usage error.
            printError("Error: \(error.message)\nUsage: \(JVMCommand.configuration.usage ?? "")\n  See 'pagelab jvm --help' for more information.")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            JVMCommand.exit(withError: error)
        }
    }
}
