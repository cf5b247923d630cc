/// Parsers for the text formats of /proc and /sys files PageCore reads.
enum KernelText {
    /// "Key:   value kB" lines (/proc/meminfo, /proc/self/status) as bytes by key; values without
    /// a "kB" unit are kept as they are. Parsed as UTF-8 bytes: every commit reads /proc/meminfo
    /// for the budget's live floor, and Character-wise splitting (grapheme breaking, Unicode
    /// whitespace) cost more than the read itself (issue 3's `pagelab jvm` startup).
    static func fields(_ text: String) -> [String: Int] {
        var fields: [String: Int] = [:]
        var text = text
        text.withUTF8 { bytes in
            var lineStart = 0
            while lineStart < bytes.count {
                let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                defer { lineStart = lineEnd + 1 }
                guard let colon = bytes[lineStart..<lineEnd].firstIndex(of: UInt8(ascii: ":")) else { continue }
                var cursor = colon + 1
                func skipBlanks() {
                    while cursor < lineEnd, bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == UInt8(ascii: "\t") { cursor += 1 }
                }
                skipBlanks()
                var number = 0, digits = 0
                while cursor < lineEnd, bytes[cursor] &- UInt8(ascii: "0") < 10, number < Int.max / 100 {
                    number = number * 10 + Int(bytes[cursor] &- UInt8(ascii: "0"))
                    cursor += 1
                    digits += 1
                }
                // A number must be the whole first word, as Int(word) would have it.
                guard digits > 0, cursor == lineEnd || bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == UInt8(ascii: "\t") else { continue }
                skipBlanks()
                let unitIsKB = lineEnd - cursor >= 2 && bytes[cursor] == UInt8(ascii: "k") && bytes[cursor + 1] == UInt8(ascii: "B")
                    && (lineEnd - cursor == 2 || bytes[cursor + 2] == UInt8(ascii: " "))
                fields[String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<colon]), as: UTF8.self)] = unitIsKB ? number * 1024 : number
            }
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
