import Foundation
import PageCore

/// `--html FILE`: one self-contained page for people who would rather look than read. Inline CSS
/// and SVG only (no script, no network), so it opens anywhere, prints, and cannot run anything a
/// scenario put in a name: every text from a script goes through `HTML.escape`.
///
/// From the top: the manifest (what ran, where, with which parameters), the address space as a
/// map, the charts the scenario drew, tables of statistics, the page maps of the regions, and the
/// results the scenario recorded.
public enum HTMLReport {
    /// - Parameters:
    ///   - document: the result document `--json` writes (its manifest, process and results).
    ///   - session: the run, for its regions' final statistics and page maps, operations and charts.
    public static func render(_ document: JSON, session: Session) -> String {
        let manifest = document["manifest"] ?? .object([])
        let regions = session.finalRegionReports()
        let scenario = manifest["scenario"].flatMap(HTML.text) ?? "scenario"
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>PageLab · \(HTML.escape(scenario))</title>
            <style>\(style)</style></head>
            <body><main>

            """
        page += header(manifest, scenario: scenario)
        let groups = session.snapshots.map { (title: "at snapshot '\($0.name)'", regions: $0.regions) } + [(title: "at the end", regions: regions)]
        let hasRegions = groups.contains { !$0.regions.isEmpty }
        if hasRegions { page += section("Address space", id: "map", HTMLAddressMap.render(groups)) }
        if !session.charts.isEmpty {
            page += section("Charts", id: "charts", session.charts.map(HTMLCharts.render).joined())
        }
        page += section("Regions", id: "regions", regionTable(regions) + processTable(document["process"]))
        if !session.operations.isEmpty { page += section("Operations", id: "operations", operationTable(session.operations)) }
        if hasRegions { page += section("Page maps", id: "pagemaps", HTMLAddressMap.pageMaps(groups)) }
        if case .object(let results)? = document["results"], !results.isEmpty {
            page += section("Results", id: "results", results.map { HTMLResults.render(name: $0.0, $0.1) }.joined())
        }
        page += section("Manifest", id: "manifest", manifestTables(manifest))
        page += "<footer>PageLab \(HTML.escape(HostManifest.pagelabVersion)) · every figure is "
            + (manifest["measured"] == .bool(false) ? "simulated by the model backend" : "measured on this host")
            + "</footer>\n</main></body></html>\n"
        return page
    }

    private static func section(_ title: String, id: String, _ body: String) -> String {
        "<section id=\"\(id)\"><h2>\(HTML.escape(title))</h2>\n\(body)</section>\n"
    }

    private static func header(_ manifest: JSON, scenario: String) -> String {
        let status = manifest["status"].flatMap(HTML.text) ?? "?"
        let measured = manifest["measured"] != .bool(false)
        let backend = manifest["backend"].flatMap(HTML.text) ?? "?"
        var parameters = ""
        if case .object(let fields)? = manifest["parameters"], !fields.isEmpty {
            parameters = "<p class=\"params\">" + fields.map { name, value in
                "<code>\(HTML.escape(name))=\(HTML.escape(HTML.text(value) ?? value.line()))</code>"
            }.joined(separator: " ") + "</p>"
        }
        return """
            <header><h1>\(HTML.escape(scenario))</h1>
            <span class="badge \(status == "ok" ? "ok" : "bad")">\(HTML.escape(status))</span>
            <span class="badge">\(HTML.escape(backend)) backend · \(measured ? "measured" : "simulated")</span>
            \(parameters)</header>

            """
    }

    /// The region table, in the spirit of `pmap -X`: sizes in human units, exact bytes on hover.
    private static func regionTable(_ regions: [RegionReport]) -> String {
        guard !regions.isEmpty else { return "<p class=\"note\">The scenario made no region.</p>" }
        let fields = Presentation.statsFields
        var rows = regions.map { report in
            "<tr><td>\(HTML.escape(report.name))</td><td class=\"mono\">0x\(String(report.base, radix: 16))</td>"
                + fields.map { HTML.bytesCell(report.stats[keyPath: $0.value]) }.joined()
                + "<td>\(HTML.escape(nodes(report.stats.nodes)))</td></tr>"
        }
        if regions.count > 1 {
            rows.append("<tr class=\"total\"><td>total</td><td></td>"
                + fields.map { field in HTML.bytesCell(regions.reduce(0) { $0 + $1.stats[keyPath: field.value] }) }.joined()
                + "<td></td></tr>")
        }
        return "<table><thead><tr><th>region</th><th>address</th>" + fields.map { "<th class=\"num\">\($0.name)</th>" }.joined()
            + "<th>nodes</th></tr></thead><tbody>\n" + rows.joined(separator: "\n") + "</tbody></table>\n"
    }

    private static func nodes(_ nodes: [Int: Int]) -> String {
        nodes.sorted { $0.key < $1.key }.map { "N\($0.key)=\(ByteSize.format($0.value))" }.joined(separator: " ")
    }

    private static func processTable(_ process: JSON?) -> String {
        guard case .object(let fields)? = process else { return "" }
        let shown = fields.filter { $0.0 != "source" }
        // Spaces made with pl.space simulate processes of their own, and regions closed before the
        // end are gone from it: say so, or a scenario working in pl.space shows zeros beside its regions.
        return "<h3>The scenario's own process at the end (\(HTML.escape(process?["source"].flatMap(HTML.text) ?? "")))</h3>"
            + "<p class=\"note\">Regions closed before the end, and those of spaces made with pl.space (each a process of its own), are not in it.</p><table><thead><tr>"
            + shown.map { "<th class=\"num\">\(HTML.escape($0.0))</th>" }.joined() + "</tr></thead><tbody><tr>"
            + shown.map { name, value in
                let number = value.number ?? 0
                return name.hasSuffix("flt") ? "<td class=\"num\">\(Int(number))</td>" : HTML.bytesCell(Int(number))
            }.joined() + "</tr></tbody></table>\n"
    }

    /// Operations summed by kind: how often, how long, how many faults, how many bytes.
    private static func operationTable(_ operations: [OperationRecord]) -> String {
        var kinds: [String] = []
        var sums: [String: (count: Int, ns: UInt64, minflt: Int, majflt: Int, bytes: Int)] = [:]
        for record in operations {
            if sums[record.operation] == nil { kinds.append(record.operation) }
            var sum = sums[record.operation] ?? (0, 0, 0, 0, 0)
            sum.count += 1
            sum.ns += record.result.ns
            sum.minflt += record.result.minflt
            sum.majflt += record.result.majflt
            sum.bytes += record.length ?? 0
            sums[record.operation] = sum
        }
        let rows = kinds.map { kind in
            let sum = sums[kind]!
            return "<tr><td>\(HTML.escape(kind))</td><td class=\"num\">\(sum.count)</td>\(HTML.bytesCell(sum.bytes))"
                + "<td class=\"num\">\(HTML.escape(Presentation.formatDuration(Int(sum.ns))))</td>"
                + "<td class=\"num\">\(sum.minflt)</td><td class=\"num\">\(sum.majflt)</td></tr>"
        }
        return "<table><thead><tr><th>operation</th><th class=\"num\">count</th><th class=\"num\">bytes</th>"
            + "<th class=\"num\">time</th><th class=\"num\">minor faults</th><th class=\"num\">major faults</th></tr></thead><tbody>\n"
            + rows.joined(separator: "\n") + "</tbody></table>\n"
    }

    private static func manifestTables(_ manifest: JSON) -> String {
        guard case .object(let fields) = manifest else { return "" }
        var out = ""
        let top = fields.filter { !["host", "machine", "parameters"].contains($0.0) }
        out += HTMLResults.render(name: "run", .object(top))
        for key in ["parameters", "host", "machine"] {
            if let value = manifest[key] { out += HTMLResults.render(name: key, value) }
        }
        return out
    }

    private static let style = """
        :root{--reserved:#dfe3ea;--committed:#9ecae1;--zero:#fdd49e;--resident:#2166ac;--huge:#762a83;--swapped:#d7301f}
        body{margin:0;background:#f3f4f7;color:#1d2330;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
        main{max-width:1200px;margin:0 auto;padding:18px 20px 40px}
        header{background:#1d2330;color:#fff;border-radius:10px;padding:16px 22px;margin-bottom:16px}
        header h1{display:inline;font-size:22px;margin:0 12px 0 0}
        .badge{display:inline-block;border-radius:12px;padding:2px 10px;margin-right:6px;background:#3b4457;font-size:12px}
        .badge.ok{background:#1a7f37}.badge.bad{background:#b42318}
        .params{margin:10px 0 0}.params code{background:#3b4457;border-radius:4px;padding:1px 6px;margin-right:4px;color:#e8ecf3}
        section{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:14px 20px;margin-bottom:16px;overflow-x:auto}
        h2{font-size:17px;margin:0 0 10px}h3{font-size:14px;margin:14px 0 6px;color:#39415a}h3.group{font-size:15px;color:#1d2330;border-top:1px solid #e6e8ee;padding-top:10px}
        table{border-collapse:collapse;margin:4px 0 10px;font-size:13px}
        th,td{padding:3px 10px;border-bottom:1px solid #e6e8ee;text-align:left;vertical-align:top}
        th{background:#f0f2f6;font-weight:600}tbody tr:nth-child(even){background:#fafbfc}
        .num{text-align:right;font-variant-numeric:tabular-nums}.mono{font-family:ui-monospace,Menlo,Consolas,monospace}
        tr.total td{font-weight:600;border-top:2px solid #c9ced8}
        .note{color:#5b6275;font-size:13px}
        .legend{font-size:12px;margin:4px 0 8px}.legend span{display:inline-block;margin-right:14px}
        .legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-2px}
        svg{display:block;margin:6px 0 12px}svg text{font:12px system-ui,sans-serif;fill:#1d2330}
        svg .axis{stroke:#9aa1b1;stroke-width:1}svg .grid{stroke:#eceef3;stroke-width:1}
        svg .small{font-size:11px;fill:#5b6275}svg .mono{font-family:ui-monospace,Menlo,monospace}
        details pre{background:#f6f7f9;padding:8px;border-radius:6px;max-height:320px;overflow:auto;font-size:12px}
        footer{color:#5b6275;font-size:12px;text-align:center}
        """
}

/// Escaping and number formatting for the HTML report.
enum HTML {
    /// Text safe in element content and in quoted attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A scalar as text (nil for arrays and objects).
    static func text(_ value: JSON) -> String? {
        switch value {
        case .null: "null"
        case .bool(let flag): String(flag)
        case .int(let number): String(number)
        case .double(let number): compact(number)
        case .string(let text): text
        case .array, .object: nil
        }
    }

    /// A table cell of bytes in human units, exact on hover.
    static func bytesCell(_ bytes: Int) -> String {
        "<td class=\"num\" title=\"\(bytes) bytes\">\(escape(ByteSize.format(bytes)))</td>"
    }

    /// A value in its unit: bytes and nanoseconds in human units.
    static func format(_ value: Double, _ unit: Chart.Unit) -> String {
        switch unit {
        case .bytes: ByteSize.format(Int(value.rounded()))
        case .ns: Presentation.formatDuration(Int(value.rounded()))
        case .percent: compact(value) + "%"
        case .number: compact(value)
        }
    }

    /// Three significant digits, with k, M and G for large values.
    static func compact(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1e9 { return String(format: "%.3gG", value / 1e9) }
        if magnitude >= 1e6 { return String(format: "%.3gM", value / 1e6) }
        if magnitude >= 1e4 { return String(format: "%.3gk", value / 1e3) }
        if value == value.rounded() { return String(Int(value)) }
        return String(format: "%.3g", value)
    }
}

extension JSON {
    /// An integer or a double as a Double.
    var number: Double? {
        switch self {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }
}
