import LuaBridge

/// A chart a scenario draws with `pl.chart{...}`: `--json` keeps it under `charts` and `--html`
/// draws it. Results recorded with `pl.record` have shapes only their scenario knows; a chart says
/// explicitly what to plot against what, in which unit.
///
/// ```lua
/// pl.chart{ kind = "histogram", title = "Time to safepoint",
///           x = { label = "time to safepoint", unit = "ns", log = true }, y = "safepoints",
///           series = { { name = "poll-word", points = { { 1000, 3 }, { 2000, 41 } } } } }
/// ```
public struct Chart: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Counts per bucket; x is each bucket's upper bound.
        case histogram
        /// y against a numeric x, one line per series.
        case curve
        /// y per category (x is its name), one bar per series, side by side or stacked.
        case bars
    }

    /// How an axis's values read: bytes and nanoseconds in human units.
    public enum Unit: String, Sendable, CaseIterable {
        case number, bytes, ns, percent
    }

    public struct Axis: Sendable, Equatable {
        public let label: String
        public let unit: Unit
        /// A logarithmic axis (values must then be positive).
        public let log: Bool
    }

    public struct Point: Sendable, Equatable {
        /// The x value of a histogram or a curve.
        public let x: Double
        /// The category of a bar chart.
        public let category: String
        public let y: Double
    }

    public struct Series: Sendable, Equatable {
        public let name: String
        public let points: [Point]
    }

    public let kind: Kind
    public let title: String
    public let x: Axis
    public let y: Axis
    public let stacked: Bool
    public let series: [Series]

    /// More would make an HTML page nobody reads, and a JSON file nobody diffs.
    static let maximumPoints = 10_000
    static let fields = ["kind", "title", "x", "y", "stacked", "series"]

    /// Reads the table given to `pl.chart`, or says which field is wrong and what it holds.
    public init(_ table: LuaValue) throws(ChartError) {
        guard case .table(_, let record) = table else { throw ChartError("a table { kind =, title =, x =, y =, series = } expected") }
        if let unknown = record.keys.sorted().first(where: { !Self.fields.contains($0) }) {
            throw ChartError("unknown field '\(unknown)' (valid: \(Self.fields.joined(separator: ", ")))")
        }
        guard let kindName = table["kind"]?.stringValue, let kind = Kind(rawValue: kindName) else {
            throw ChartError("kind must be one of: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")) (got \(Self.shown(table["kind"])))")
        }
        guard let title = table["title"]?.stringValue, !title.isEmpty else {
            throw ChartError("title must be a non-empty string (got \(Self.shown(table["title"])))")
        }
        self.kind = kind
        self.title = title
        x = try Self.axis(table["x"], name: "x")
        y = try Self.axis(table["y"], name: "y")
        if kind == .bars, x.log { throw ChartError("x of a bar chart names categories; it cannot be logarithmic") }
        switch table["stacked"] {
        case nil, .nil?: stacked = false
        case .boolean(let flag)?: stacked = flag
        case let other: throw ChartError("stacked must be a boolean (got \(Self.shown(other)))")
        }
        guard case .table(let list, let extra)? = table["series"], extra.isEmpty, !list.isEmpty else {
            throw ChartError("series must be a non-empty list of { name =, points = { {x, y}, ... } } (got \(Self.shown(table["series"])))")
        }
        var series: [Series] = []
        for (index, entry) in list.enumerated() {
            series.append(try Self.series(entry, number: index + 1, kind: kind, x: x, y: y))
        }
        let total = series.reduce(0) { $0 + $1.points.count }
        guard total <= Self.maximumPoints else { throw ChartError("\(total) points (at most \(Self.maximumPoints))") }
        self.series = series
    }

    private static func axis(_ value: LuaValue?, name: String) throws(ChartError) -> Axis {
        switch value {
        case .string(let label)?: return Axis(label: label, unit: .number, log: false)
        case .table(let list, let record)? where list.isEmpty:
            if let unknown = record.keys.sorted().first(where: { !["label", "unit", "log"].contains($0) }) {
                throw ChartError("\(name): unknown field '\(unknown)' (valid: label, unit, log)")
            }
            guard let label = record["label"]?.stringValue else { throw ChartError("\(name).label must be a string (got \(shown(record["label"])))") }
            var unit = Unit.number
            if let given = record["unit"], given != .nil {
                guard let text = given.stringValue, let known = Unit(rawValue: text) else {
                    throw ChartError("\(name).unit must be one of: \(Unit.allCases.map(\.rawValue).joined(separator: ", ")) (got \(shown(given)))")
                }
                unit = known
            }
            var log = false
            switch record["log"] {
            case nil, .nil?: break
            case .boolean(let flag)?: log = flag
            case let other: throw ChartError("\(name).log must be a boolean (got \(shown(other)))")
            }
            return Axis(label: label, unit: unit, log: log)
        default:
            throw ChartError("\(name) must be a label or { label =, unit =, log = } (got \(shown(value)))")
        }
    }

    private static func series(_ entry: LuaValue, number: Int, kind: Kind, x: Axis, y: Axis) throws(ChartError) -> Series {
        let at = "series[\(number)]"
        guard case .table = entry, let name = entry["name"]?.stringValue else {
            throw ChartError("\(at) must be { name = string, points = { {x, y}, ... } } (got \(shown(entry)))")
        }
        guard case .table(let list, let record)? = entry["points"], record.isEmpty else {
            throw ChartError("\(at).points must be a list of {x, y} pairs (got \(shown(entry["points"])))")
        }
        var points: [Point] = []
        for (index, pair) in list.enumerated() {
            let place = "\(at).points[\(index + 1)]"
            guard case .table(let values, let fields) = pair, values.count == 2, fields.isEmpty else {
                throw ChartError("\(place) must be a pair {x, y} (got \(shown(pair)))")
            }
            guard let yValue = numeric(values[1]), yValue.isFinite else {
                throw ChartError("\(place): y must be a finite number (got \(shown(values[1])))")
            }
            // On a log axis a bar of 0 is simply absent (an empty histogram bucket); a curve's point cannot be.
            if y.log, yValue < 0 || (yValue == 0 && kind == .curve) {
                throw ChartError("\(place): y is \(yValue) on a logarithmic axis (must be > 0\(kind == .curve ? "" : ", or 0 for no bar"))")
            }
            if kind == .bars {
                guard let category = values[0].stringValue ?? numeric(values[0]).map(Self.label) else {
                    throw ChartError("\(place): x must name a category (got \(shown(values[0])))")
                }
                points.append(Point(x: Double(index), category: category, y: yValue))
            } else {
                guard let xValue = numeric(values[0]), xValue.isFinite else {
                    throw ChartError("\(place): x must be a finite number (got \(shown(values[0])))")
                }
                if x.log, xValue <= 0 { throw ChartError("\(place): x is \(xValue) on a logarithmic axis (must be > 0)") }
                points.append(Point(x: xValue, category: "", y: yValue))
            }
        }
        return Series(name: name, points: points)
    }

    private static func numeric(_ value: LuaValue) -> Double? {
        switch value {
        case .integer(let number): Double(number)
        case .number(let number): number
        default: nil
        }
    }

    private static func label(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    /// Whole numbers as JSON integers, so that counts and bytes read as they were given.
    private static func number(_ value: Double) -> JSON {
        value == value.rounded() && abs(value) < 1e15 ? .int(Int(value)) : .double(value)
    }

    private static func shown(_ value: LuaValue?) -> String {
        switch value {
        case nil, .nil?: "nil"
        case .string(let text)?: "'\(text)'"
        case .integer(let number)?: String(number)
        case .number(let number)?: String(number)
        case .boolean(let flag)?: String(flag)
        case .table?: "a table"
        case .opaque(let text)?: text.split(separator: ":").first.map(String.init) ?? text
        }
    }

    /// As `--json` writes it under `charts`.
    var json: JSON {
        func axis(_ axis: Axis) -> JSON {
            .object([("label", .string(axis.label)), ("unit", .string(axis.unit.rawValue)), ("log", .bool(axis.log))])
        }
        return .object([
            ("kind", .string(kind.rawValue)), ("title", .string(title)), ("x", axis(x)), ("y", axis(y)),
            ("stacked", .bool(stacked)),
            ("series", .array(series.map { series in
                .object([("name", .string(series.name)), ("points", .array(series.points.map { point in
                    .array([kind == .bars ? .string(point.category) : Self.number(point.x), Self.number(point.y)])
                }))])
            })),
        ])
    }
}

public struct ChartError: Error, Equatable {
    public let message: String
    init(_ message: String) { self.message = message }
}
