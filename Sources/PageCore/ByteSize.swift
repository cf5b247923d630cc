/// Sizes as people write them: a decimal number with an optional binary suffix k, m, g or t in
/// either case ("4k", "256M", "8g", "1t", "4096"), like the JVM's -Xmx.
public enum ByteSize {
    private static let units: [(suffix: Character, bytes: Int)] = [("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("T", 1 << 40)]

    /// The number of bytes `text` denotes. Throws `.invalidArgument(parameter: "size")` for
    /// anything else: an empty text, a sign, a fraction, another suffix, or a value above `Int.max`.
    public static func parse(_ text: String) throws(PageError) -> Int {
        var digits = Substring(text)
        var multiplier = 1
        if let last = digits.last, let unit = units.first(where: { String($0.suffix) == last.uppercased() }) {
            multiplier = unit.bytes
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isWholeNumber }) else {
            throw PageError.invalid("size", "invalid size \"\(text)\" (expected a number with an optional k, m, g or t suffix)")
        }
        guard let number = Int(digits) else { throw tooLarge(text) }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { throw tooLarge(text) }
        return bytes
    }

    private static func tooLarge(_ text: String) -> PageError {
        PageError.invalid("size", "invalid size \"\(text)\" (too large)")
    }

    /// A short form for people: the largest unit in which the size is at least 1, exact when it
    /// divides evenly ("256M", "4K"), else to one decimal ("1.5G"); bytes below 1K plainly ("0",
    /// "100"). Negative sizes (differences) get a minus sign.
    public static func format(_ bytes: Int) -> String {
        if bytes < 0 { return "-" + format(bytes == Int.min ? Int.max : -bytes) }
        guard let unit = units.last(where: { bytes >= $0.bytes }) else { return String(bytes) }
        if bytes % unit.bytes == 0 { return "\(bytes / unit.bytes)\(unit.suffix)" }
        let tenths = Int((Double(bytes) / Double(unit.bytes) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)\(unit.suffix)"
    }
}
