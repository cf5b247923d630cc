import ArgumentParser
import PageLabLua

/// `pagelab diff A.json B.json`: what changed from one result to another, NMT style.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the deltas between two results (pagelab run --json, or pagelab jvm --format json) as NMT's summary.diff does.",
        discussion: "Regions are matched by name; NUMA nodes, the process and numeric results follow. For JVM results, NMT's categories.")

    @Argument(help: ArgumentHelp("The earlier result.", valueName: "a.json"))
    var from: String

    @Argument(help: ArgumentHelp("The later result.", valueName: "b.json"))
    var to: String

    @Option(help: ArgumentHelp("text or json.", valueName: "format"))
    var format = "text"

    func run() throws {
        guard ["text", "json"].contains(format) else { throw usageError("--format must be text or json, not '\(format)'") }
        let a = try ResultDocument.load(from), b = try ResultDocument.load(to)
        let header: [(String, JSON)] = [("from", .string(from)), ("to", .string(to))]
        switch (a, b) {
        case (.run(let old), .run(let new)):
            let diff = RunDiff(from: old, to: new)
            print(format == "json" ? JSON.object([("kind", .string("run"))] + header + Self.fields(diff.json)).serialized()
                : "PageLab diff: \(from) -> \(to)\n\n" + diff.text, terminator: format == "json" ? "\n" : "")
        case (.jvm(let old), .jvm(let new)):
            let diff = NMTDiff(from: old, to: new)
            print(format == "json" ? JSON.object([("kind", .string("jvm"))] + header + Self.fields(diff.json)).serialized()
                : diff.text, terminator: format == "json" ? "\n" : "")
        default:
            throw usageError("\(from) is a \(a.kind) result but \(to) is a \(b.kind) result; diff compares two of one kind")
        }
    }

    private static func fields(_ json: JSON) -> [(String, JSON)] {
        if case .object(let fields) = json { return fields }
        return []
    }
}
