import ArgumentParser
import PageCore
import PageLabLua

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a scenario and its parameters, without running any memory operation.")

    @Argument(help: ArgumentHelp("PACK/SCENARIO, or a scenario file.", valueName: "scenario"))
    var target: String

    @OptionGroup var sandbox: SandboxOptions

    func run() throws {
        let file = try ScenarioLocator.file(for: target)
        let (policy, pack) = try sandbox.policy(for: target)
        let declaration: ScenarioDeclaration
        do {
            declaration = try Workbench.declaration(ofFile: file, policy: policy)
        } catch {
            throw ScriptFailure.from(error, pack: pack?.name)
        }
        var lines = [target]
        if let description = declaration.description { lines.append(description) }
        lines.append("file: \(file)")
        lines.append("backends: \(declaration.backends.joined(separator: ", "))")
        if declaration.parameters.isEmpty {
            lines.append("\nno parameters")
        } else {
            let rows = declaration.parameters.map { parameter in
                [parameter.name, parameter.kind.rawValue, parameter.defaultText,
                 parameter.help + (parameter.choices.isEmpty ? "" : " (one of: \(parameter.choices.joined(separator: ", ")))")]
            }
            lines.append("\nparameters (--set name=value):")
            lines.append(TextTable.render(header: ["name", "type", "default", "help"], rows: rows))
        }
        print(lines.joined(separator: "\n"))
    }
}
