import PageCore

/// What a scenario recorded with `pl.record`, as tables where the shape allows: a record of
/// scalars as name/value rows, a list of records (or a record of records, such as NMT's
/// categories) as one row each, anything else as its JSON. Fields named like byte counts show in
/// human units and fields ending in `_ns` (or inside a result named so) as durations, exact on hover.
enum HTMLResults {
    static let rowLimit = 60
    static let byteFields: Set<String> = [
        "size", "reserved", "committed", "resident", "zero", "huge", "swapped", "locked", "rss", "vm_size", "vm_swap",
        "hugetlb", "bytes", "page_tables", "mem_total", "mem_available", "page_size", "budget", "heap", "region_size",
        "thp_page_size", "default_huge_page_size", "node_memory",
    ]

    static func render(name: String, _ value: JSON) -> String {
        let title = "<h3>\(HTML.escape(name))</h3>\n"
        switch value {
        case .object(let fields) where !fields.isEmpty && fields.allSatisfy({ isScalar($0.1) }):
            return title + "<table><tbody>\n" + fields.map { key, field in
                "<tr><th>\(HTML.escape(key))</th>\(cell(name.hasSuffix("_ns") ? "ns" : key, field))</tr>"
            }.joined(separator: "\n") + "</tbody></table>\n"
        case .object(let fields) where !fields.isEmpty && fields.allSatisfy({ isFlatRecord($0.1) }):
            return title + table(rows: fields.map { ($0.0, $0.1) }, keyHeader: "")
        case .array(let items) where !items.isEmpty && items.allSatisfy(isFlatRecord):
            return title + table(rows: items.enumerated().map { (String($0.offset + 1), $0.element) }, keyHeader: "#")
        default:
            if let text = HTML.text(value) { return "<p><b>\(HTML.escape(name))</b>: \(HTML.escape(shown(name, value) ?? text))</p>\n" }
            return "<details><summary><b>\(HTML.escape(name))</b> (JSON)</summary><pre>\(HTML.escape(value.serialized()))</pre></details>\n"
        }
    }

    private static func isScalar(_ value: JSON) -> Bool { HTML.text(value) != nil }

    /// A record whose fields are scalars, or records of scalars (one level, such as per-node bytes).
    private static func isFlatRecord(_ value: JSON) -> Bool {
        guard case .object(let fields) = value else { return false }
        return fields.allSatisfy { isScalar($0.1) || $0.1.isShallow }
    }

    private static func table(rows: [(String, JSON)], keyHeader: String) -> String {
        var columns: [String] = []
        for (_, row) in rows {
            guard case .object(let fields) = row else { continue }
            for (key, _) in fields where !columns.contains(key) { columns.append(key) }
        }
        var lines: [String] = []
        for (key, row) in rows.prefix(rowLimit) {
            var line = "<tr><th>\(HTML.escape(key))</th>"
            for column in columns { line += rowCell(column, row[column]) }
            lines.append(line + "</tr>")
        }
        var out = "<table><thead><tr><th>\(HTML.escape(keyHeader))</th>" + columns.map { "<th>\(HTML.escape($0))</th>" }.joined()
            + "</tr></thead><tbody>\n" + lines.joined(separator: "\n") + "</tbody></table>\n"
        if rows.count > rowLimit { out += "<p class=\"note\">… and \(rows.count - rowLimit) more rows (all of them are in --json).</p>\n" }
        return out
    }

    /// A cell of a row: a scalar, or a small record (per-node bytes) as `name=value` words.
    private static func rowCell(_ column: String, _ field: JSON?) -> String {
        guard let field else { return "<td></td>" }
        guard case .object(let inner) = field else { return cell(column, field) }
        let words: [String] = inner.map { key, value in
            let text: String = shown(key, value) ?? HTML.text(value) ?? ""
            return key + "=" + text
        }
        return "<td>" + HTML.escape(words.joined(separator: " ")) + "</td>"
    }

    private static func cell(_ key: String, _ value: JSON) -> String {
        let text = HTML.text(value) ?? ""
        guard let human = shown(key, value) else {
            return value.number == nil ? "<td>\(HTML.escape(text))</td>" : "<td class=\"num\">\(HTML.escape(text))</td>"
        }
        return "<td class=\"num\" title=\"\(HTML.escape(text))\">\(HTML.escape(human))</td>"
    }

    /// Bytes and nanoseconds in human units, by the field's name; nil for other fields.
    private static func shown(_ key: String, _ value: JSON) -> String? {
        guard let number = value.number else { return nil }
        if byteFields.contains(key) || key.hasSuffix("_bytes") { return HTML.format(number, .bytes) }
        if key == "ns" || key.hasSuffix("_ns") { return HTML.format(number, .ns) }
        return nil
    }
}

private extension JSON {
    /// An object whose fields are all scalars.
    var isShallow: Bool {
        guard case .object(let fields) = self else { return false }
        return fields.allSatisfy { HTML.text($0.1) != nil }
    }
}
