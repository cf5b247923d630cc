import ArgumentParser
import Foundation
import PageCore

/// `--budget SIZE`: the most PageLab may make resident. Without it, PageLab keeps
/// max(2 GiB, 10% of MemTotal) of MemAvailable free.
struct BudgetOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The most memory PageLab may make resident (e.g. 4g).", valueName: "size"))
    var budget: String?

    func commitBudget() throws -> CommitBudget {
        try Self.commitBudget(budget)
    }

    /// The budget `--budget text` asks for (nil: the standard one).
    static func commitBudget(_ text: String?) throws -> CommitBudget {
        guard let text else { return CommitBudget.standard() }
        do {
            return CommitBudget(limit: try ByteSize.parse(text))
        } catch {
            throw ValidationError("--budget: \(error.message)")
        }
    }
}

/// Prints a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// `--backend host|model`: where the scenario's memory lives. The model simulates a machine like
/// this host (its NUMA nodes, THP mode and hugetlb pools); `pl.space{...}` picks other machines.
struct BackendOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("host (real memory, measured) or model (simulated).", valueName: "backend"))
    var backend: String = "host"

    func selected() throws -> Backend {
        try Self.backend(named: backend)
    }

    /// The backend `--backend name` asks for.
    static func backend(named name: String) throws -> Backend {
        switch name {
        case "host": return .host
        case "model": return .model(.likeHost())
        default: throw ValidationError("--backend: '\(name)' is not one of: \(Backend.names.joined(separator: ", "))")
        }
    }
}
