import PageCore

/// Durations as people write them: "250ms", "10us" (or "10µs"), "2s", "1500ns", or seconds as a
/// number.
public enum DurationText {
    static let units: [(suffix: String, nanoseconds: Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9),
    ]

    /// Nanoseconds in `text`; errors name `parameter` and the text.
    public static func parse(_ text: String, parameter: String) throws(PageError) -> UInt64 {
        let trimmed = text.lowercased().filter { $0 != " " }
        // A bare number is seconds, whether it came as a Lua number or as text ("--set duration=1").
        if let seconds = Double(trimmed) {
            return try nanoseconds(seconds * 1e9, parameter: parameter, shown: text)
        }
        // Longest suffix first, so that "ms" is not read as "s".
        for unit in units.sorted(by: { $0.suffix.count > $1.suffix.count }) where trimmed.hasSuffix(unit.suffix) {
            if let number = Double(trimmed.dropLast(unit.suffix.count)) {
                return try nanoseconds(number * unit.nanoseconds, parameter: parameter, shown: text)
            }
        }
        throw invalid(parameter, "invalid \(parameter) '\(text)' (expected a duration such as 500ms, 10us, 2s, or seconds as a number)")
    }

    /// Nanoseconds in `seconds`.
    public static func seconds(_ seconds: Double, parameter: String) throws(PageError) -> UInt64 {
        try nanoseconds(seconds * 1e9, parameter: parameter, shown: "\(seconds)")
    }

    private static func nanoseconds(_ value: Double, parameter: String, shown: String) throws(PageError) -> UInt64 {
        guard value.isFinite, value >= 0, value < 1e18 else {
            throw invalid(parameter, "invalid \(parameter) '\(shown)' (must be a duration between 0 and about 30 years)")
        }
        return UInt64(value.rounded())
    }
}
