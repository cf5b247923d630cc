import Foundation
import PageLabLua

/// The deltas between two `pagelab run --json` results: per region (matched by name; one found
/// in only one result is new or gone), per NUMA node, the process, and the recorded results that
/// are numbers. The text reads like NMT's summary.diff.
struct RunDiff {
    struct RegionChange {
        let name: String
        /// "new", "gone", or nil for a region in both.
        let status: String?
        let figures: [(name: String, change: Change)]
        let nodes: [(node: String, change: Change)]
    }

    static let figureNames = RunReport.regionFigureNames
    static let processNames = ["rss", "vm_size", "vm_pte", "minflt", "majflt"]

    let regions: [RegionChange]
    let totals: [(name: String, change: Change)]
    let nodes: [(node: String, change: Change)]
    let process: [(name: String, change: Change)]
    /// Numbers a scenario recorded; one in only one result counts from (or to) zero.
    let results: [(name: String, from: Double?, to: Double?)]

    init(from a: [String: Any], to b: [String: Any]) {
        let before = Self.regions(a), after = Self.regions(b)
        let names = before.map(\.name) + after.map(\.name).filter { name in !before.contains { $0.name == name } }
        let regions = names.map { name in
            let old = before.first { $0.name == name }?.fields ?? [:]
            let new = after.first { $0.name == name }?.fields ?? [:]
            let status = old.isEmpty ? "new" : new.isEmpty ? "gone" : nil
            return RegionChange(
                name: name, status: status,
                figures: Self.figureNames.map { ($0, Change(from: old.integer($0), to: new.integer($0))) },
                nodes: Self.nodes(old["nodes"], new["nodes"]))
        }
        self.regions = regions
        totals = Self.figureNames.enumerated().map { index, name in
            (name, Change(from: regions.reduce(0) { $0 + $1.figures[index].change.from },
                          to: regions.reduce(0) { $0 + $1.figures[index].change.to }))
        }
        var nodeTotals: [String: Change] = [:]
        for region in regions {
            for (node, change) in region.nodes {
                let sum = nodeTotals[node] ?? Change(from: 0, to: 0)
                nodeTotals[node] = Change(from: sum.from + change.from, to: sum.to + change.to)
            }
        }
        nodes = nodeTotals.sorted { Int($0.key) ?? 0 < Int($1.key) ?? 0 }.map { ($0.key, $0.value) }
        let oldProcess = a["process"] as? [String: Any] ?? [:], newProcess = b["process"] as? [String: Any] ?? [:]
        process = Self.processNames.map { ($0, Change(from: oldProcess.integer($0), to: newProcess.integer($0))) }
        let oldResults = Self.numbers(a["results"]), newResults = Self.numbers(b["results"])
        results = Set(oldResults.keys).union(newResults.keys).sorted().map { ($0, oldResults[$0], newResults[$0]) }
    }

    private static func regions(_ document: [String: Any]) -> [(name: String, fields: [String: Any])] {
        (document["regions"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "?", $0) }
    }

    private static func nodes(_ a: Any?, _ b: Any?) -> [(node: String, change: Change)] {
        let old = a as? [String: Any] ?? [:], new = b as? [String: Any] ?? [:]
        return Set(old.keys).union(new.keys).sorted { Int($0) ?? 0 < Int($1) ?? 0 }.map { node in
            (node, Change(from: old.integer(node), to: new.integer(node)))
        }
    }

    /// The numeric results; booleans, which JSONSerialization also gives as NSNumber, are not numbers.
    private static func numbers(_ value: Any?) -> [String: Double] {
        var numbers: [String: Double] = [:]
        for (name, value) in value as? [String: Any] ?? [:] {
            guard let number = value as? NSNumber, !Self.isBoolean(number) else { continue }
            numbers[name] = number.doubleValue
        }
        return numbers
    }

    private static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    // MARK: Text

    var text: String {
        var lines = ["Total: " + totals.prefix(3).map { "\($0.name)=\($0.change.kilobytes)" }.joined(separator: ", ")]
        if !nodes.isEmpty { lines.append("       " + nodeText(nodes)) }
        lines.append("")
        for region in regions {
            let shown = region.figures.enumerated().filter { index, figure in index < 3 || figure.change.from != 0 || figure.change.to != 0 }
            let label = region.name + (region.status.map { " (\($0))" } ?? "")
            lines.append("-" + String(repeating: " ", count: max(0, 26 - label.count)) + label
                + " (" + shown.map { "\($0.element.name)=\($0.element.change.kilobytes)" }.joined(separator: ", ") + ")")
            if region.nodes.contains(where: { $0.change.from != 0 || $0.change.to != 0 }) {
                lines.append(String(repeating: " ", count: 28) + nodeText(region.nodes))
            }
            lines.append(" ")
        }
        lines.append("Process: " + process.map { name, change in
            "\(name)=" + (name.hasSuffix("flt") ? change.count : change.kilobytes)
        }.joined(separator: ", "))
        if !results.isEmpty {
            lines.append("Results: " + results.map { name, from, to in "\(name)=" + Self.resultText(from, to) }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func nodeText(_ nodes: [(node: String, change: Change)]) -> String {
        "(nodes: " + nodes.map { "N\($0.node)=\($0.change.kilobytes)" }.joined(separator: ", ") + ")"
    }

    private static func resultText(_ from: Double?, _ to: Double?) -> String {
        guard let to else { return "(gone, was \(number(from ?? 0)))" }
        let delta = to - (from ?? 0)
        return number(to) + (from == nil ? " (new)" : delta == 0 ? "" : " " + (delta > 0 ? "+" : "") + number(delta))
    }

    /// Integers without a fraction, other numbers as Swift prints them.
    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    // MARK: JSON

    var json: JSON {
        func figures(_ list: [(name: String, change: Change)]) -> [(String, JSON)] { list.map { ($0.name, $0.change.json) } }
        func nodes(_ list: [(node: String, change: Change)]) -> JSON { .object(list.map { ($0.node, $0.change.json) }) }
        return .object([
            ("regions", .array(regions.map { region in
                .object([("name", .string(region.name)), ("status", .string(region.status ?? "both"))]
                    + figures(region.figures) + [("nodes", nodes(region.nodes))])
            })),
            ("total", .object(figures(totals) + [("nodes", nodes(self.nodes))])),
            ("process", .object(figures(process))),
            ("results", .object(results.map { name, from, to in
                (name, .object([("from", from.map(JSON.double) ?? .null), ("to", to.map(JSON.double) ?? .null),
                                ("delta", .double((to ?? 0) - (from ?? 0)))]))
            })),
        ])
    }
}
