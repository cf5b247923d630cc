import Foundation

/// Charts drawn by `pl.chart` as inline SVG: histograms and bars as bars per category (side by
/// side or stacked), curves as lines with a marker per point. Every mark has its exact values on
/// hover.
enum HTMLCharts {
    static let palette = ["#2166ac", "#e08214", "#1b9e77", "#762a83", "#d7301f", "#5e6b7d", "#b8860b", "#4393c3"]

    static let width = 1100.0, plotLeft = 90.0, plotTop = 16.0, plotWidth = 820.0, plotHeight = 260.0

    static func render(_ chart: Chart) -> String {
        let body = switch chart.kind {
        case .histogram, .bars: bars(chart)
        case .curve: curve(chart)
        }
        return "<h3>\(HTML.escape(chart.title))</h3>\n" + legend(chart) + body
    }

    private static func legend(_ chart: Chart) -> String {
        guard chart.series.count > 1 else { return "" }
        return "<div class=\"legend\">" + chart.series.enumerated().map { index, series in
            "<span><i style=\"background:\(palette[index % palette.count])\"></i>\(HTML.escape(series.name))</span>"
        }.joined() + "</div>\n"
    }

    // MARK: Bars and histograms

    /// One slot per category; a histogram's categories are its buckets (empty ones at either end
    /// left out), labelled by their upper bound.
    private static func bars(_ chart: Chart) -> String {
        var categories: [String] = []
        var values: [[String: Double]] = []
        for series in chart.series {
            var byCategory: [String: Double] = [:]
            for point in trimmed(series.points, histogram: chart.kind == .histogram) {
                let category = chart.kind == .histogram ? "≤ " + HTML.format(point.x, chart.x.unit) : point.category
                if !categories.contains(category) { categories.append(category) }
                byCategory[category, default: 0] += point.y
            }
            values.append(byCategory)
        }
        guard !categories.isEmpty else { return "<p class=\"note\">No values.</p>\n" }
        let heights = categories.map { category in
            chart.stacked ? values.reduce(0) { $0 + ($1[category] ?? 0) } : values.map { $0[category] ?? 0 }.max() ?? 0
        }
        let scale = ValueScale(values: heights + (chart.y.log ? values.flatMap(\.values) : [0]), axis: chart.y, bars: true)
        let rotate = categories.count > 10
        var svg = frame(chart, bottom: rotate ? 96 : 44)
        svg += yAxis(scale, chart.y)
        let slot = plotWidth / Double(categories.count)
        let groupWidth = slot * 0.8
        let barWidth = chart.stacked ? groupWidth : groupWidth / Double(chart.series.count)
        for (column, category) in categories.enumerated() {
            let x0 = plotLeft + Double(column) * slot + slot * 0.1
            var base = 0.0
            for (index, series) in chart.series.enumerated() {
                guard let value = values[index][category] else { continue }
                let lower = chart.stacked ? base : 0
                let upper = lower + value
                base = upper
                let yTop = plotTop + plotHeight * (1 - scale.position(upper))
                let yBottom = plotTop + plotHeight * (1 - scale.position(lower))
                let x = chart.stacked ? x0 : x0 + Double(index) * barWidth
                let tip = "\(series.name): \(category) → \(HTML.format(value, chart.y.unit))"
                svg += "<rect x=\"\(f(x))\" y=\"\(f(yTop))\" width=\"\(f(max(1, barWidth - 1)))\" height=\"\(f(max(0, yBottom - yTop)))\" "
                    + "fill=\"\(palette[index % palette.count])\"><title>\(HTML.escape(tip))</title></rect>"
            }
            let labelX = x0 + groupWidth / 2, labelY = plotTop + plotHeight + 16
            svg += rotate
                ? "<text class=\"small\" transform=\"translate(\(f(labelX)),\(f(labelY))) rotate(-40)\" text-anchor=\"end\">\(HTML.escape(category))</text>\n"
                : "<text class=\"small\" x=\"\(f(labelX))\" y=\"\(f(labelY))\" text-anchor=\"middle\">\(HTML.escape(category))</text>\n"
        }
        let labelY = plotTop + plotHeight + (rotate ? 88 : 36)
        svg += "<text x=\"\(f(plotLeft + plotWidth / 2))\" y=\"\(f(labelY))\" text-anchor=\"middle\">\(HTML.escape(chart.x.label))</text>\n"
        return svg + "</svg>\n"
    }

    /// A histogram's buckets without the empty ones before the first count and after the last.
    private static func trimmed(_ points: [Chart.Point], histogram: Bool) -> ArraySlice<Chart.Point> {
        guard histogram, let first = points.firstIndex(where: { $0.y != 0 }),
              let last = points.lastIndex(where: { $0.y != 0 }) else { return points[...] }
        return points[first...last]
    }

    // MARK: Curves

    private static func curve(_ chart: Chart) -> String {
        let points = chart.series.flatMap(\.points)
        guard !points.isEmpty else { return "<p class=\"note\">No values.</p>\n" }
        let xScale = ValueScale(values: points.map(\.x), axis: chart.x, fromZero: false)
        let yScale = ValueScale(values: points.map(\.y) + (chart.y.log ? [] : [0]), axis: chart.y)
        var svg = frame(chart, bottom: 44)
        svg += yAxis(yScale, chart.y)
        for tick in xScale.ticks {
            let x = plotLeft + plotWidth * xScale.position(tick)
            svg += "<line class=\"grid\" x1=\"\(f(x))\" y1=\"\(f(plotTop))\" x2=\"\(f(x))\" y2=\"\(f(plotTop + plotHeight))\"/>"
                + "<text class=\"small\" x=\"\(f(x))\" y=\"\(f(plotTop + plotHeight + 16))\" text-anchor=\"middle\">\(HTML.escape(HTML.format(tick, chart.x.unit)))</text>\n"
        }
        for (index, series) in chart.series.enumerated() {
            let colour = palette[index % palette.count]
            let positions = series.points.sorted { $0.x < $1.x }.map { point in
                (point, plotLeft + plotWidth * xScale.position(point.x), plotTop + plotHeight * (1 - yScale.position(point.y)))
            }
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.5\" points=\"" + positions.map { "\(f($0.1)),\(f($0.2))" }.joined(separator: " ") + "\"/>\n"
            for (point, x, y) in positions {
                let tip = "\(series.name): \(chart.x.label) \(HTML.format(point.x, chart.x.unit)) → \(chart.y.label) \(HTML.format(point.y, chart.y.unit))"
                svg += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"4.5\" fill=\"\(colour)\"><title>\(HTML.escape(tip))</title></circle>"
            }
            svg += "\n"
        }
        svg += "<text x=\"\(f(plotLeft + plotWidth / 2))\" y=\"\(f(plotTop + plotHeight + 36))\" text-anchor=\"middle\">\(HTML.escape(chart.x.label + (chart.x.log ? " (log scale)" : "")))</text>\n"
        return svg + "</svg>\n"
    }

    // MARK: Axes

    private static func frame(_ chart: Chart, bottom: Double) -> String {
        let height = Int(plotTop + plotHeight + bottom)
        return "<svg width=\"\(Int(width))\" height=\"\(height)\" viewBox=\"0 0 \(Int(width)) \(height)\" role=\"img\" aria-label=\"\(HTML.escape(chart.title))\">\n"
            + "<line class=\"axis\" x1=\"\(f(plotLeft))\" y1=\"\(f(plotTop + plotHeight))\" x2=\"\(f(plotLeft + plotWidth))\" y2=\"\(f(plotTop + plotHeight))\"/>\n"
    }

    private static func yAxis(_ scale: ValueScale, _ axis: Chart.Axis) -> String {
        var svg = "<line class=\"axis\" x1=\"\(f(plotLeft))\" y1=\"\(f(plotTop))\" x2=\"\(f(plotLeft))\" y2=\"\(f(plotTop + plotHeight))\"/>\n"
        for tick in scale.ticks {
            let y = plotTop + plotHeight * (1 - scale.position(tick))
            svg += "<line class=\"grid\" x1=\"\(f(plotLeft + 1))\" y1=\"\(f(y))\" x2=\"\(f(plotLeft + plotWidth))\" y2=\"\(f(y))\"/>"
                + "<text class=\"small\" x=\"\(f(plotLeft - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(HTML.escape(HTML.format(tick, axis.unit)))</text>\n"
        }
        let middle = plotTop + plotHeight / 2
        svg += "<text transform=\"translate(16,\(f(middle))) rotate(-90)\" text-anchor=\"middle\">\(HTML.escape(axis.label + (axis.log ? " (log scale)" : "")))</text>\n"
        return svg
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// Where values fall on an axis, linear (steps of 1, 2 or 5 times a power of ten; of a power of
/// two for bytes, so that ticks read 1G, 2G, 3G) or logarithmic (powers of ten).
struct ValueScale {
    let low: Double
    let high: Double
    let log: Bool
    let ticks: [Double]

    /// - Parameter bars: the values are bars growing from the axis's bottom; on a log axis the
    ///   bottom then stays below the smallest, so that a bar of 1 (a single slow safepoint in a
    ///   histogram's tail) keeps a height.
    init(values: [Double], axis: Chart.Axis, fromZero: Bool = true, bars: Bool = false) {
        let log = axis.log
        self.log = log
        let finite = values.filter { $0.isFinite && (!log || $0 > 0) }
        var lowest = finite.min() ?? 0, highest = finite.max() ?? 1
        if log {
            let smallest = log10(lowest > 0 ? lowest : 1)
            let lowExponent = bars ? ceil(smallest) - 1 : floor(smallest), highExponent = max(lowExponent + 1, ceil(log10(highest > 0 ? highest : 10)))
            low = pow(10, lowExponent)
            high = pow(10, highExponent)
            ticks = stride(from: lowExponent, through: highExponent, by: 1).map { pow(10, $0) }
            return
        }
        if fromZero { lowest = min(0, lowest) }
        if highest <= lowest { highest = lowest + 1 }
        let rough = (highest - lowest) / 5
        let magnitude = pow(10, floor(log10(rough)))
        let step = axis.unit == .bytes && rough >= 1
            ? pow(2, ceil(log2(rough)))
            : [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? magnitude * 10
        low = floor(lowest / step) * step
        high = ceil(highest / step) * step
        ticks = stride(from: low, through: high + step / 2, by: step).map { $0 }
    }

    /// From 0 at `low` to 1 at `high`.
    func position(_ value: Double) -> Double {
        if log {
            guard value > 0 else { return 0 }
            return (log10(value) - log10(low)) / (log10(high) - log10(low))
        }
        return (value - low) / (high - low)
    }
}
