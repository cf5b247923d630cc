import LuaBridge

/// A JSON document with its keys in the order they were written, so that results diff cleanly
/// between runs and read top-down (manifest first).
public indirect enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

    /// The value of `key` in an object.
    public subscript(key: String) -> JSON? {
        if case .object(let fields) = self { return fields.first { $0.0 == key }?.1 }
        return nil
    }

    /// A Lua value as JSON: sequences become arrays, other tables objects (an empty table is an
    /// empty object), functions and userdata their description.
    public init(_ value: LuaValue) {
        switch value {
        case .nil: self = .null
        case .boolean(let flag): self = .bool(flag)
        case .integer(let number): self = .int(number)
        case .number(let number): self = .double(number)
        case .string(let text), .opaque(let text): self = .string(text)
        case .table(let array, let record):
            if record.isEmpty && !array.isEmpty {
                self = .array(array.map(JSON.init))
            } else {
                var fields = array.enumerated().map { (String($0.offset + 1), JSON($0.element)) }
                fields += record.sorted { $0.key < $1.key }.map { ($0.key, JSON($0.value)) }
                self = .object(fields)
            }
        }
    }

    /// On one line without spaces: one record of an NDJSON stream.
    public func line() -> String {
        switch self {
        case .array(let items): return "[" + items.map { $0.line() }.joined(separator: ",") + "]"
        case .object(let fields): return "{" + fields.map { JSON.quote($0.0) + ":" + $0.1.line() }.joined(separator: ",") + "}"
        default: return serialized()
        }
    }

    /// Pretty-printed with two-space indentation.
    public func serialized(indent: Int = 0) -> String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return number.isFinite ? "\(number)" : "null"
        case .string(let text): return JSON.quote(text)
        case .array(let items):
            if items.isEmpty { return "[]" }
            let pad = String(repeating: " ", count: indent + 2)
            let inner = items.map { pad + $0.serialized(indent: indent + 2) }.joined(separator: ",\n")
            return "[\n" + inner + "\n" + String(repeating: " ", count: indent) + "]"
        case .object(let fields):
            if fields.isEmpty { return "{}" }
            let pad = String(repeating: " ", count: indent + 2)
            let inner = fields.map { pad + JSON.quote($0.0) + ": " + $0.1.serialized(indent: indent + 2) }
                .joined(separator: ",\n")
            return "{\n" + inner + "\n" + String(repeating: " ", count: indent) + "}"
        }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension LuaValue {
    /// JSON as a Lua value: objects become records, arrays sequences.
    public init(_ json: JSON) {
        switch json {
        case .null: self = .nil
        case .bool(let flag): self = .boolean(flag)
        case .int(let number): self = .integer(number)
        case .double(let number): self = .number(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .table(array: items.map(LuaValue.init), record: [:])
        case .object(let fields):
            self = .table(array: [], record: Dictionary(fields.map { ($0.0, LuaValue($0.1)) }, uniquingKeysWith: { $1 }))
        }
    }
}
