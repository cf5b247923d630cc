import Foundation
import PageCore

/// The address space as pictures: every region to scale on a log axis (a 4 KiB guard page and an
/// 8 GiB heap on one page), and each region's page map.
enum HTMLAddressMap {
    /// The colour of each page state; the map's bars use the same ones (CSS variables in the page).
    static let colours: [(state: PageState, colour: String, name: String)] = [
        (.reserved, "#dfe3ea", "reserved"),
        (.committed, "#9ecae1", "committed, untouched"),
        (.zero, "#fdd49e", "zero page (read, not resident)"),
        (.resident, "#2166ac", "resident"),
        (.huge, "#762a83", "huge (THP or hugetlb)"),
        (.swapped, "#d7301f", "swapped"),
    ]

    static func colour(_ state: PageState) -> String { colours.first { $0.state == state }!.colour }

    static func legend(_ states: [PageState]) -> String {
        "<div class=\"legend\">" + colours.filter { states.contains($0.state) }.map {
            "<span><i style=\"background:\($0.colour)\"></i>\(HTML.escape($0.name))</span>"
        }.joined() + "</div>\n"
    }

    // MARK: The map

    /// One row per region in address order, a group of rows per snapshot and one for the end:
    /// reserved, committed and resident bars from a common origin on a log axis, zero-page and huge
    /// bytes as thin stripes below, exact numbers on hover.
    static func render(_ groups: [(title: String, regions: [RegionReport])]) -> String {
        let groups = groups.filter { !$0.regions.isEmpty }
        let labelWidth = 230.0, barLeft = 240.0, barWidth = 560.0, textLeft = 812.0, rowHeight = 36.0, titleHeight = 24.0, top = 26.0
        let largest = groups.flatMap(\.regions).map(\.stats.size).max() ?? 4096
        let axis = LogAxis(low: 1 << 12, high: largest, exponentStep: 4)
        let titled = groups.count > 1
        let rows = groups.reduce(0) { $0 + $1.regions.count }
        let height = top + Double(rows) * rowHeight + (titled ? Double(groups.count) * titleHeight : 0) + 8
        var svg = "<svg width=\"1160\" height=\"\(Int(height))\" viewBox=\"0 0 1160 \(Int(height))\" role=\"img\" aria-label=\"address space map\">\n"
        for tick in axis.ticks {
            let x = barLeft + axis.position(Double(tick)) * barWidth
            svg += "<line class=\"grid\" x1=\"\(x)\" y1=\"\(top - 6)\" x2=\"\(x)\" y2=\"\(height - 4)\"/>"
                + "<text class=\"small\" x=\"\(x)\" y=\"\(top - 10)\" text-anchor=\"middle\">\(ByteSize.format(tick))</text>\n"
        }
        svg += "<text class=\"small\" x=\"\(labelWidth)\" y=\"\(top - 10)\" text-anchor=\"end\">region (log scale)</text>\n"
        var y = top
        for group in groups {
            if titled {
                svg += "<text x=\"0\" y=\"\(y + 16)\" font-weight=\"600\">\(HTML.escape(group.title))</text>\n"
                y += titleHeight
            }
            for report in group.regions.sorted(by: { $0.base < $1.base }) {
                svg += row(report, y: y, axis: axis, labelWidth: labelWidth, barLeft: barLeft, barWidth: barWidth, textLeft: textLeft)
                y += rowHeight
            }
        }
        svg += "</svg>\n"
        return legend([.reserved, .committed, .resident, .zero, .huge]) + svg
            + "<p class=\"note\">Bars start together and grow on a log axis: each grid line is 16 times the one before. "
            + "Hover a region for its exact bytes.</p>\n"
    }

    private static func row(_ report: RegionReport, y: Double, axis: LogAxis, labelWidth: Double, barLeft: Double,
                            barWidth: Double, textLeft: Double) -> String {
        let stats = report.stats
        let address = "0x" + String(report.base, radix: 16)
        let tip = HTML.escape("\(report.name) at \(address)\n" + Presentation.statsFields.map {
            "\($0.name) \(ByteSize.format(stats[keyPath: $0.value])) (\(stats[keyPath: $0.value]) bytes)"
        }.joined(separator: "\n"))
        var svg = "<g><title>\(tip)</title>"
        svg += "<text x=\"\(labelWidth)\" y=\"\(y + 13)\" text-anchor=\"end\">\(HTML.escape(shortened(report.name)))</text>"
        svg += "<text class=\"small mono\" x=\"\(labelWidth)\" y=\"\(y + 27)\" text-anchor=\"end\">\(address)</text>"
        for (bytes, state) in [(stats.size, PageState.reserved), (stats.committed, .committed), (stats.resident, .resident)] where bytes > 0 {
            svg += "<rect x=\"\(barLeft)\" y=\"\(y + 2)\" width=\"\(width(bytes, axis, barWidth))\" height=\"20\" rx=\"2\" fill=\"\(colour(state))\"/>"
        }
        for (offset, bytes, state) in [(24.0, stats.zero, PageState.zero), (29.0, stats.huge, .huge)] where bytes > 0 {
            svg += "<rect x=\"\(barLeft)\" y=\"\(y + offset)\" width=\"\(width(bytes, axis, barWidth))\" height=\"4\" fill=\"\(colour(state))\"/>"
        }
        let figures = "\(ByteSize.format(stats.size)) reserved · \(ByteSize.format(stats.committed)) committed · \(ByteSize.format(stats.resident)) resident"
            + (stats.zero > 0 ? " · \(ByteSize.format(stats.zero)) zero" : "") + (stats.huge > 0 ? " · \(ByteSize.format(stats.huge)) huge" : "")
        return svg + "<text x=\"\(textLeft)\" y=\"\(y + 17)\">\(HTML.escape(figures))</text></g>\n"
    }

    private static func width(_ bytes: Int, _ axis: LogAxis, _ full: Double) -> String {
        String(format: "%.1f", max(2, axis.position(Double(bytes)) * full))
    }

    private static func shortened(_ name: String) -> String {
        name.count <= 32 ? name : String(name.prefix(31)) + "…"
    }

    // MARK: Page maps

    /// Each region's page map as cells of pages, the state most of a cell's pages are in, as
    /// `region:map` prints them; runs of equal cells in a row are one rectangle.
    static func pageMaps(_ groups: [(title: String, regions: [RegionReport])]) -> String {
        var out = legend(PageMapPicture.symbols.map(\.0))
        for group in groups where !group.regions.isEmpty {
            if groups.count > 1 { out += "<h3 class=\"group\">\(HTML.escape(group.title))</h3>\n" }
            out += pageMaps(group.regions)
        }
        return out
    }

    private static func pageMaps(_ regions: [RegionReport]) -> String {
        var out = ""
        for report in regions {
            guard let map = report.pageMap else { continue }
            let cell = 15.0, left = 92.0
            let rows = (map.cells.count + map.width - 1) / map.width
            let height = Double(rows) * (cell + 2) + 4
            let cellBytes = map.pagesPerCell * map.pageSize
            out += "<h3>\(HTML.escape(report.name)) <span class=\"note\">\(ByteSize.format(report.stats.size)) at 0x\(String(report.base, radix: 16)) · "
                + "1 cell = \(map.pagesPerCell) page\(map.pagesPerCell == 1 ? "" : "s") (\(ByteSize.format(cellBytes)))</span></h3>\n"
            out += "<svg width=\"\(Int(left + Double(map.width) * cell + 4))\" height=\"\(Int(height))\">\n"
            for row in 0..<rows {
                let y = Double(row) * (cell + 2) + 2
                let first = row * map.width
                out += "<text class=\"small mono\" x=\"\(left - 8)\" y=\"\(y + 11)\" text-anchor=\"end\">\(PageMapPicture.hex(first * cellBytes))</text>"
                var start = first
                let end = min(first + map.width, map.cells.count)
                while start < end {
                    var stop = start
                    while stop < end, map.cells[stop] == map.cells[start] { stop += 1 }
                    let state = map.cells[start]
                    let name = colours.first { $0.state == state }!.name
                    out += "<rect x=\"\(left + Double(start - first) * cell)\" y=\"\(y)\" width=\"\(Double(stop - start) * cell - 1)\" height=\"\(cell)\" fill=\"\(colour(state))\">"
                        + "<title>\(PageMapPicture.hex(start * cellBytes))–\(PageMapPicture.hex(stop * cellBytes)): \(HTML.escape(name))</title></rect>"
                    start = stop
                }
                out += "\n"
            }
            out += "</svg>\n"
        }
        let skipped = regions.filter { $0.pageMap == nil }
        if !skipped.isEmpty {
            out += "<p class=\"note\">Not drawn: " + skipped.map { HTML.escape($0.name) }.joined(separator: ", ")
                + " (larger than \(ByteSize.format(PageMapCells.largestRegion)): reading every page would take too long).</p>\n"
        }
        return out
    }
}

/// A logarithmic axis from `low` to `high` (rounded out to whole steps), with a tick every
/// `exponentStep` powers of two.
struct LogAxis {
    let lowExponent: Double
    let highExponent: Double
    let ticks: [Int]

    init(low: Int, high: Int, exponentStep: Int) {
        let lowest = Int(log2(Double(max(1, low))))
        var highest = lowest + exponentStep
        while Double(1 << min(62, highest)) < Double(high), highest < 62 { highest += exponentStep }
        lowExponent = Double(lowest)
        highExponent = Double(highest)
        ticks = stride(from: lowest, through: highest, by: exponentStep).map { 1 << $0 }
    }

    /// Where `value` falls, from 0 at `low` to 1 at `high` (0 below `low`).
    func position(_ value: Double) -> Double {
        guard value > 0 else { return 0 }
        return min(1, max(0, (log2(value) - lowExponent) / (highExponent - lowExponent)))
    }
}
