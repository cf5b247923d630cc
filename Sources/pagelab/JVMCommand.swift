import ArgumentParser
import Foundation
import PageCore
import PageJVM
import PageLabLua

/// `pagelab jvm`: boots a HotSpot memory model from a real JVM command line and reports its
/// native memory as NMT would, with what NMT cannot tell (resident pages).
struct JVMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jvm",
        abstract: "Lay out a JVM's native memory from its flags, as HotSpot would, and report it like NMT.",
        discussion: "Example: pagelab jvm --jdk 21 -- -Xmx8g -XX:+UseG1GC -XX:+AlwaysPreTouch")

    @Option(help: ArgumentHelp("The HotSpot release to model: 17, 21 or 25.", valueName: "n"))
    var jdk = 17

    @OptionGroup var backend: BackendOption

    @Option(help: ArgumentHelp("text or json.", valueName: "format"))
    var format = "text"

    @Option(help: ArgumentHelp("Physical memory the JVM sees, instead of the host's (e.g. 64g).", valueName: "size"))
    var ram: String?

    @Option(help: ArgumentHelp("Processors the JVM sees, instead of the host's.", valueName: "n"))
    var cpus: Int?

    @Flag(help: "List every reservation with its committed ranges and resident bytes.")
    var detail = false

    @OptionGroup var budget: BudgetOption

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("JVM options, e.g. -Xmx8g -XX:+UseG1GC.", valueName: "flags"))
    var flags: [String] = []

    func run() throws {
        guard let release = JDK(rawValue: jdk) else { throw usageError("--jdk must be 17, 21 or 25, not \(jdk)") }
        guard ["text", "json"].contains(format) else { throw usageError("--format must be text or json, not '\(format)'") }
        var machine = JVMMachine.host()
        if let ram {
            do { machine.ram = try ByteSize.parse(ram) } catch { throw usageError("--ram: \(error.message)") }
        }
        if let cpus {
            guard cpus > 0 else { throw usageError("--cpus must be positive, not \(cpus)") }
            machine.cpus = cpus
        }
        let options = flags.first == "--" ? Array(flags.dropFirst()) : flags
        var selected = try backend.selected()
        if case .model = selected, ram != nil {
            // The simulated machine has the memory the JVM is told about, on one node.
            let topology = try NUMATopology(count: 1, memory: [machine.ram], cpusPerNode: machine.cpus)
            selected = .model(try SimulatedMachine(topology: topology, thpMode: machine.thpMode))
        }
        let space = AddressSpace(budget: try budget.commitBudget(), backend: selected)
        defer { space.releaseAll() }
        let jvm: JVM
        do {
            jvm = try JVM.boot(options, jdk: release, machine: machine, space: space)
        } catch let error as JVMError {
            FileHandle.standardOutput.write(Data(error.standardOutput.utf8))
            FileHandle.standardError.write(Data(error.standardError.utf8))
            throw ExitCode.failure
        } catch let error as PageError {
            printError("pagelab: \(error.message)")
            throw ExitCode.failure
        }
        defer { jvm.close() }
        if format == "json" {
            print(try JVMReport.json(jvm).serialized())
            return
        }
        print(try JVMText.render(jvm, detail: detail), terminator: "")
    }
}
