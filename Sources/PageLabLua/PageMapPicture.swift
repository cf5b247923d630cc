import PageCore

/// A page map as text: one character per cell of pages, each cell showing the state most of its
/// pages are in, rows of `width` cells headed by their offset. The legend says what a cell holds.
public enum PageMapPicture {
    public static let symbols: [(PageState, Character, String)] = [
        (.reserved, ".", "reserved"),
        (.committed, "-", "committed, untouched"),
        (.zero, "z", "zero page"),
        (.resident, "#", "resident"),
        (.huge, "H", "huge"),
        (.swapped, "S", "swapped"),
    ]

    /// - Parameters:
    ///   - states: one per base page, starting at `offset` bytes into the region.
    ///   - maximumRows: the picture never grows past this; cells hold more pages instead.
    public static func render(
        states: [PageState], offset: Int, pageSize: Int, width: Int = 64, maximumRows: Int = 16
    ) -> String {
        guard !states.isEmpty else { return "(empty range)" }
        let cells = min(states.count, width * maximumRows)
        let perCell = (states.count + cells - 1) / cells
        var rows: [String] = []
        var row = ""
        var rowStart = offset
        var index = 0
        while index < states.count {
            let cell = states[index..<min(index + perCell, states.count)]
            row.append(symbol(of: dominant(cell)))
            index += perCell
            if row.count == width || index >= states.count {
                rows.append(hex(rowStart) + "  " + row)
                row = ""
                rowStart = offset + index * pageSize
            }
        }
        let unit = perCell == 1 ? "1 page" : "\(perCell) pages"
        let legend = symbols.map { "\($0.1) \($0.2)" }.joined(separator: "  ")
        return "1 cell = \(unit) (\(ByteSize.format(perCell * pageSize)))   \(legend)\n" + rows.joined(separator: "\n")
    }

    /// The state most pages of the cell are in; ties go to the state listed later in `symbols`
    /// (the more "resident" one), so that a half-touched cell shows as touched.
    static func dominant(_ cell: ArraySlice<PageState>) -> PageState {
        var counts = [Int](repeating: 0, count: symbols.count)
        for state in cell { counts[Int(state.rawValue)] += 1 }
        var best = 0
        for index in counts.indices where counts[index] >= counts[best] { best = index }
        return symbols[best].0
    }

    static func symbol(of state: PageState) -> Character {
        symbols.first { $0.0 == state }!.1
    }

    static func hex(_ value: Int) -> String {
        let digits = String(value, radix: 16)
        return "+0x" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits
    }
}
