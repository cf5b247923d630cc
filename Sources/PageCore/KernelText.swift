/// Parsers for the text formats of /proc and /sys files PageCore reads.
enum KernelText {
    /// "Key:   value kB" lines (/proc/meminfo, /proc/self/status) as bytes by key; values without
    /// a "kB" unit are kept as they are.
    static func fields(_ text: String) -> [String: Int] {
        var fields: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let words = line[line.index(after: colon)...].split(whereSeparator: \.isWhitespace)
            guard let first = words.first, let number = Int(first) else { continue }
            fields[String(line[..<colon])] = words.count > 1 && words[1] == "kB" ? number * 1024 : number
        }
        return fields
    }

    /// A list such as "0-3,8,10-11" (/sys/devices/system/node/online) expanded; nil if malformed.
    static func numberList(_ text: String) -> [Int]? {
        var numbers: [Int] = []
        for item in text.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
            let bounds = item.split(separator: "-").map { Int($0) }
            switch bounds.count {
            case 1: guard let single = bounds[0] else { return nil }; numbers.append(single)
            case 2: guard let low = bounds[0], let high = bounds[1], low <= high else { return nil }; numbers += low...high
            default: return nil
            }
        }
        return numbers
    }

    /// The bracketed choice in a sysfs mode file: "always [madvise] never" → "madvise".
    static func selectedChoice(_ text: String) -> String? {
        guard let open = text.firstIndex(of: "["), let close = text[open...].firstIndex(of: "]") else { return nil }
        return String(text[text.index(after: open)..<close])
    }
}
