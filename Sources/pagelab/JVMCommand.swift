import ArgumentParser
import Foundation
import PageCore
import PageJVM
import PageLabLua

/// `pagelab jvm`: boots a HotSpot memory model from a real JVM command line and reports its
/// native memory as NMT would, with what NMT cannot tell (resident pages). `PageLab.main` parses
/// and runs it without ArgumentParser (see `JVMOptions`); this type is its entry in ArgumentParser's
/// help, which is where `--help` goes.
struct JVMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jvm",
        abstract: "Lay out a JVM's native memory from its flags, as HotSpot would, and report it like NMT.",
        usage: "pagelab jvm [<options>] [--] <flags> ...",
        discussion: """
            Options:
            \(JVMOptions.help)

            <flags> are JVM options, e.g. -Xmx8g -XX:+UseG1GC.
            Example: pagelab jvm --jdk 21 -- -Xmx8g -XX:+UseG1GC -XX:+AlwaysPreTouch
            """)

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Options and JVM flags, as the discussion lists them.", valueName: "arguments"))
    var arguments: [String] = []

    func run() throws {
        try JVMOptions(parsing: arguments).run()
    }
}

extension JVMOptions {
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
        var selected = try BackendOption.backend(named: backend)
        if case .model = selected, ram != nil {
            // The simulated machine has the memory the JVM is told about, on one node.
            let topology = try NUMATopology(count: 1, memory: [machine.ram], cpusPerNode: machine.cpus)
            selected = .model(try SimulatedMachine(topology: topology, thpMode: machine.thpMode))
        }
        let space = AddressSpace(budget: try BudgetOption.commitBudget(budget), backend: selected)
        defer { space.releaseAll() }
        let jvm: JVM
        do {
            jvm = try JVM.boot(flags, jdk: release, machine: machine, space: space)
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
