import ArgumentParser
import Foundation
import PageCore

/// `--budget SIZE`: the most PageLab may make resident. Without it, PageLab keeps
/// max(2 GiB, 10% of MemTotal) of MemAvailable free.
struct BudgetOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The most memory PageLab may make resident (e.g. 4g).", valueName: "size"))
    var budget: String?

    func commitBudget() throws -> CommitBudget {
        guard let budget else { return CommitBudget.standard() }
        do {
            return CommitBudget(limit: try ByteSize.parse(budget))
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
        switch backend {
        case "host": return .host
        case "model": return .model(.likeHost())
        default: throw ValidationError("--backend: '\(backend)' is not one of: \(Backend.names.joined(separator: ", "))")
        }
    }
}
