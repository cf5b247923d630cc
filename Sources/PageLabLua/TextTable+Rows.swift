extension TextTable {
    /// Columns aligned without a header line, for lists that label themselves (`name: value`).
    public static func render(rows: [[String]]) -> String {
        guard let width = rows.first?.count else { return "" }
        return render(header: [String](repeating: "", count: width), rows: rows)
            .split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
    }
}
