/// Parsers for the text formats of /proc and /sys files PageCore reads.
enum KernelText {
    /// "Key:   value kB" lines (/proc/meminfo, /proc/self/status) as bytes by key; values without
    /// a "kB" unit are kept as they are.
    static func fields(_ text: String) -> [String: Int] {
        var fields: [String: Int] = [:]
        forEachField(text) { key, value in fields[String(decoding: key, as: UTF8.self)] = value }
        return fields
    }

    /// The values of the fields `names`, in that order (nil for a missing one): what a frequent
    /// reader such as the budget's MemAvailable check needs, without building a dictionary.
    static func values(of names: [String], in text: String) -> [Int?] {
        var values = [Int?](repeating: nil, count: names.count)
        forEachField(text) { key, value in
            if let index = names.firstIndex(where: { $0.utf8.elementsEqual(key) }) { values[index] = value }
        }
        return values
    }

    /// Calls `body` with the key's UTF-8 bytes and the value of every "Key: value [kB]" line.
    /// Byte-wise: every commit reads /proc/meminfo for the budget's live floor, and Character-wise
    /// splitting (grapheme breaking, Unicode whitespace) cost more than the read itself.
    private static func forEachField(_ text: String, _ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var lineStart = 0
            while lineStart < bytes.count {
                let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                defer { lineStart = lineEnd + 1 }
                guard let colon = bytes[lineStart..<lineEnd].firstIndex(of: UInt8(ascii: ":")) else { continue }
                var cursor = colon + 1
                func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
                func skipBlanks() {
                    while cursor < lineEnd, isBlank(bytes[cursor]) { cursor += 1 }
                }
                skipBlanks()
                let digits = cursor
                var number = 0
                while cursor < lineEnd, bytes[cursor] &- UInt8(ascii: "0") < 10, number < Int.max / 100 {
                    number = number * 10 + Int(bytes[cursor] &- UInt8(ascii: "0"))
                    cursor += 1
                }
                // The number must be the whole first word.
                guard cursor > digits, cursor == lineEnd || isBlank(bytes[cursor]) else { continue }
                skipBlanks()
                let unit = bytes[cursor..<lineEnd].prefix { !isBlank($0) }
                body(UnsafeBufferPointer(rebasing: bytes[lineStart..<colon]), unit.elementsEqual("kB".utf8) ? number * 1024 : number)
            }
        }
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
