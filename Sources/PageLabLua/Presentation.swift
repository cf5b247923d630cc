import LuaBridge
import PageCore

/// Tables PageLab returns carry a metatable whose `__tostring` shows them for people (sizes in
/// human units), while their fields stay plain integers for scripts.
enum Presentation {
    static let statsMetatable = "pagelab.stats"
    static let operationMetatable = "pagelab.op"
    static let diffMetatable = "pagelab.diff"

    static func register(in vm: LuaVM) {
        vm.registerMetatable(statsMetatable, fields: ["__tostring": { call in
            call.push(describeStats(try call.value(1)))
            return 1
        }])
        vm.registerMetatable(operationMetatable, fields: ["__tostring": { call in
            let value = try call.value(1)
            call.push(describeOperation(
                ns: value["ns"]?.integerValue ?? 0, minflt: value["minflt"]?.integerValue ?? 0,
                majflt: value["majflt"]?.integerValue ?? 0) + (value["source"]?.stringValue == "simulated" ? " (simulated)" : ""))
            return 1
        }])
        vm.registerMetatable(diffMetatable, fields: ["__tostring": { call in
            call.push(describeDiff(try call.value(1)))
            return 1
        }])
    }

    /// The byte counts of `PageStats` as scripts see them, in report order.
    static var statsFields: [(name: String, value: KeyPath<PageStats, Int>)] {
        [("size", \.size), ("committed", \.committed), ("resident", \.resident), ("zero", \.zero),
         ("huge", \.huge), ("swapped", \.swapped), ("locked", \.locked)]
    }

    static func push(_ stats: PageStats, on call: LuaCall) {
        call.pushTable(capacity: 10) { table in
            fill(table, stats)
            table.setMetatable(named: statsMetatable)
        }
    }

    static func fill(_ table: LuaTableWriter, _ stats: PageStats) {
        for field in statsFields { table.set(field.name, stats[keyPath: field.value]) }
        table.table("nodes", capacity: Int32(stats.nodes.count)) { nodes in
            for (node, bytes) in stats.nodes { nodes.set(node, bytes) }
        }
        table.set("source", stats.source.rawValue)
        if let pages = stats.pageTables {
            table.table("page_tables", capacity: 5) { tables in
                tables.set("p4d", pages.p4d)
                tables.set("pud", pages.pud)
                tables.set("pmd", pages.pmd)
                tables.set("pte", pages.pte)
                tables.set("bytes", pages.bytes)
            }
        }
    }

    static func push(_ result: OpResult, on call: LuaCall, extra: [String: Int] = [:]) {
        call.pushTable(capacity: Int32(4 + extra.count)) { table in
            table.set("ns", Int(result.ns))
            table.set("minflt", result.minflt)
            table.set("majflt", result.majflt)
            table.set("source", result.source.rawValue)
            for (key, value) in extra { table.set(key, value) }
            table.setMetatable(named: operationMetatable)
        }
    }

    static func describeStats(_ value: LuaValue) -> String {
        var parts = statsFields.map { "\($0.name) \(ByteSize.format(value[$0.name]?.integerValue ?? 0))" }
        if case .table(let array, let record)? = value["nodes"] {
            // Node 0 sits in the array part when nodes start at 1; read both.
            var nodes = record.compactMap { key, bytes in Int(key).map { ($0, bytes.integerValue ?? 0) } }
            nodes += array.enumerated().map { ($0.offset + 1, $0.element.integerValue ?? 0) }
            let text = nodes.sorted { $0.0 < $1.0 }.map { "N\($0.0)=\(ByteSize.format($0.1))" }
            if !text.isEmpty { parts.append("nodes " + text.joined(separator: " ")) }
        }
        if let tables = value["page_tables"] {
            let levels = ["p4d", "pud", "pmd", "pte"].compactMap { level in
                tables[level]?.integerValue.flatMap { $0 > 0 ? "\(level) \($0)" : nil }
            }
            parts.append("page tables " + (levels.isEmpty ? "none" : levels.joined(separator: " ")))
        }
        if value["source"]?.stringValue == "simulated" { parts.append("(simulated)") }
        return parts.joined(separator: "  ")
    }

    static func describeOperation(ns: Int, minflt: Int, majflt: Int) -> String {
        "\(formatDuration(ns)), \(minflt) minor fault\(minflt == 1 ? "" : "s"), \(majflt) major"
    }

    /// A duration in the unit that keeps three or four significant digits.
    static func formatDuration(_ ns: Int) -> String {
        let value = Double(ns)
        switch ns {
        case ..<1_000: return "\(ns) ns"
        case ..<1_000_000: return format(value / 1e3, "µs")
        case ..<1_000_000_000: return format(value / 1e6, "ms")
        default: return format(value / 1e9, "s")
        }
    }

    private static func format(_ value: Double, _ unit: String) -> String {
        let digits = value < 10 ? 2 : value < 100 ? 1 : 0
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if digits == 0, text.hasSuffix(".0") { text.removeLast(2) }
        return "\(text) \(unit)"
    }

    /// NMT-style signed deltas: `heap  committed=+64M resident=+32M`.
    static func describeDiff(_ value: LuaValue) -> String {
        var lines: [String] = []
        if case .table(_, let regions)? = value["regions"] {
            for (name, delta) in regions.sorted(by: { $0.key < $1.key }) {
                let changes = statsFields.compactMap { field -> String? in
                    guard let bytes = delta[field.name]?.integerValue, bytes != 0 else { return nil }
                    return "\(field.name)=\(signed(bytes))"
                }
                lines.append("\(name)  " + (changes.isEmpty ? "(no change)" : changes.joined(separator: " ")))
            }
        }
        if let process = value["process"] {
            let changes = ["rss", "vm_pte", "minflt", "majflt"].compactMap { field -> String? in
                guard let number = process[field]?.integerValue, number != 0 else { return nil }
                return field.hasSuffix("flt") ? "\(field)=\(number > 0 ? "+" : "")\(number)" : "\(field)=\(signed(number))"
            }
            lines.append("process  " + (changes.isEmpty ? "(no change)" : changes.joined(separator: " ")))
        }
        return lines.joined(separator: "\n")
    }

    static func signed(_ bytes: Int) -> String {
        bytes > 0 ? "+" + ByteSize.format(bytes) : ByteSize.format(bytes)
    }
}
