import PageCore

/// Regions as a table for people, in the spirit of `pmap -X`: one row per region, sizes in human
/// units, a total row.
public enum RegionTable {
    public static func render(_ reports: [RegionReport]) -> String {
        guard !reports.isEmpty else { return "(no regions)" }
        let header = ["region", "address", "size", "committed", "resident", "zero", "huge", "locked"]
        var rows = reports.map { report in
            [report.name, "0x" + String(report.base, radix: 16)]
                + [\PageStats.size, \.committed, \.resident, \.zero, \.huge, \.locked].map { ByteSize.format(report.stats[keyPath: $0]) }
        }
        if reports.count > 1 {
            rows.append(["total", ""] + [\PageStats.size, \.committed, \.resident, \.zero, \.huge, \.locked].map { path in
                ByteSize.format(reports.reduce(0) { $0 + $1.stats[keyPath: path] })
            })
        }
        return TextTable.render(header: header, rows: rows, rightAligned: Set(2..<header.count))
    }
}

/// Columns padded to their widest cell, separated by two spaces.
public enum TextTable {
    public static func render(header: [String], rows: [[String]], rightAligned: Set<Int> = []) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.indices.map { column in
                let pad = String(repeating: " ", count: widths[column] - row[column].count)
                return rightAligned.contains(column) ? pad + row[column] : row[column] + pad
            }.joined(separator: "  ").trailingSpacesRemoved
        }.joined(separator: "\n")
    }
}

extension String {
    var trailingSpacesRemoved: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
