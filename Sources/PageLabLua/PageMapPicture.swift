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
        let perCell = pagesPerCell(pages: states.count, width: width, maximumRows: maximumRows)
        let cells = stride(from: 0, to: states.count, by: perCell).map { start in
            dominant(states[start..<min(start + perCell, states.count)])
        }
        let rows = stride(from: 0, to: cells.count, by: width).map { first in
            hex(offset + first * perCell * pageSize) + "  " + String(cells[first..<min(first + width, cells.count)].map(symbol))
        }
        let unit = perCell == 1 ? "1 page" : "\(perCell) pages"
        let legend = symbols.map { "\($0.1) \($0.2)" }.joined(separator: "  ")
        return "1 cell = \(unit) (\(ByteSize.format(perCell * pageSize)))   \(legend)\n" + rows.joined(separator: "\n")
    }

    /// How many pages one cell holds so that `pages` fit in `maximumRows` rows of `width` cells.
    static func pagesPerCell(pages: Int, width: Int, maximumRows: Int) -> Int {
        let cells = max(1, min(pages, width * maximumRows))
        return (pages + cells - 1) / cells
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

/// A whole region's page map reduced to a few hundred cells, each the state most of its pages are
/// in: what the HTML report draws. Read a row of cells at a time, so that a terabyte region of the
/// model never holds more than one row's page states.
public struct PageMapCells: Sendable {
    public let pageSize: Int
    public let pagesPerCell: Int
    public let width: Int
    public let cells: [PageState]

    /// Regions larger than this are not drawn page by page: reading their states would take long.
    public static let largestRegion = 64 << 30

    init?(region: Region, width: Int = 64, maximumRows: Int = 16) {
        let pageSize = HostInfo.pageSize
        let pages = region.size / pageSize
        guard pages > 0, region.size <= Self.largestRegion else { return nil }
        let perCell = PageMapPicture.pagesPerCell(pages: pages, width: width, maximumRows: maximumRows)
        var cells: [PageState] = []
        for rowStart in stride(from: 0, to: pages, by: perCell * width) {
            let rowPages = min(perCell * width, pages - rowStart)
            guard let states = try? region.pageStates(offset: rowStart * pageSize, length: rowPages * pageSize) else { return nil }
            for start in stride(from: 0, to: states.count, by: perCell) {
                cells.append(PageMapPicture.dominant(states[start..<min(start + perCell, states.count)]))
            }
        }
        self.pageSize = pageSize
        self.pagesPerCell = perCell
        self.width = width
        self.cells = cells
    }
}
