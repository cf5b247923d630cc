import LuaBridge
import PageCore

/// A scenario's declared parameter: what `pagelab info` lists and `--set name=value` may override.
public struct ScenarioParameter: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case size, integer, number, string, boolean
    }

    public let name: String
    public let kind: Kind
    public let defaultValue: LuaValue
    public let help: String
    /// For string parameters that take one of a fixed set of values.
    public let choices: [String]

    /// Parses a `--set` value, or says what was wrong with it.
    public func parse(_ text: String) throws(ScenarioError) -> LuaValue {
        func invalid(_ expected: String) -> ScenarioError {
            ScenarioError("invalid value '\(text)' for parameter '\(name)' (\(expected))")
        }
        switch kind {
        case .size:
            do { return .integer(try ByteSize.parse(text)) } catch { throw invalid("expected a size such as 4096, 64k, 256m or 2g") }
        case .integer:
            guard let value = Int(text) else { throw invalid("expected an integer") }
            return .integer(value)
        case .number:
            guard let value = Double(text), value.isFinite else { throw invalid("expected a number") }
            return .number(value)
        case .boolean:
            switch text.lowercased() {
            case "true", "yes", "on", "1": return .boolean(true)
            case "false", "no", "off", "0": return .boolean(false)
            default: throw invalid("expected true or false")
            }
        case .string:
            guard choices.isEmpty || choices.contains(text) else {
                throw invalid("expected one of: \(choices.joined(separator: ", "))")
            }
            return .string(text)
        }
    }

    /// The default as a `--set` would write it.
    public var defaultText: String {
        switch defaultValue {
        case .integer(let value) where kind == .size: return ByteSize.format(value)
        case .integer(let value): return String(value)
        case .number(let value): return String(value)
        case .boolean(let flag): return String(flag)
        case .string(let text): return text
        default: return "-"
        }
    }
}

public struct ScenarioError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a scenario file declares: it returns `{ description =, params = {...}, backends = {...},
/// run = function(p), report = function(result) }`. A file that returns nothing is a plain script:
/// its top level is the whole scenario.
public struct ScenarioDeclaration {
    public let description: String?
    public let parameters: [ScenarioParameter]
    public let hasRun: Bool
    /// Whether the table has a `report(result)` function, called after `run` in place of the
    /// default final printout.
    public let hasReport: Bool
    /// The backends the scenario can run on (`backends = { "host" }` for one that measures what
    /// only a real machine has); both when not declared.
    public let backends: [String]

    /// Reads the declaration from the value the chunk returned.
    public init(_ value: LuaValue?, file: String) throws(ScenarioError) {
        guard let value, value != .nil else {
            description = nil
            parameters = []
            hasRun = false
            hasReport = false
            backends = Backend.names
            return
        }
        guard case .table = value else {
            throw ScenarioError("\(file): a scenario file returns a table { description =, params =, run = } (it returned \(Self.kind(value)))")
        }
        guard case .opaque(let run)? = value["run"], run.hasPrefix("function") else {
            throw ScenarioError("\(file): the scenario table has no run function")
        }
        hasRun = true
        switch value["report"] {
        case nil, .nil?: hasReport = false
        case .opaque(let report)? where report.hasPrefix("function"): hasReport = true
        default: throw ScenarioError("\(file): the scenario table's report must be a function report(result)")
        }
        description = value["description"]?.stringValue
        backends = try Self.backends(value["backends"], file: file)
        var parameters: [ScenarioParameter] = []
        if let declared = value["params"], declared != .nil {
            guard case .table(let list, let record) = declared, record.isEmpty else {
                throw ScenarioError("\(file): params must be a list of { name =, type =, default =, help = } tables")
            }
            for (index, entry) in list.enumerated() {
                let parameter = try Self.parameter(entry, number: index + 1, file: file)
                guard !parameters.contains(where: { $0.name == parameter.name }) else {
                    throw ScenarioError("\(file): parameter '\(parameter.name)' is declared twice")
                }
                parameters.append(parameter)
            }
        }
        self.parameters = parameters
    }

    private static func backends(_ value: LuaValue?, file: String) throws(ScenarioError) -> [String] {
        guard let value, value != .nil else { return Backend.names }
        let valid = "(expected a list of: \(Backend.names.joined(separator: ", ")))"
        guard case .table(let list, let record) = value, record.isEmpty, !list.isEmpty else {
            throw ScenarioError("\(file): backends must be a non-empty list \(valid)")
        }
        let names = list.map { $0.stringValue ?? "" }
        if let bad = names.first(where: { !Backend.names.contains($0) }) {
            throw ScenarioError("\(file): backends lists '\(bad)' \(valid)")
        }
        return Backend.names.filter(names.contains)
    }

    /// How a message names the type of a value a script or a manifest gave.
    static func kind(_ value: LuaValue) -> String {
        switch value {
        case .nil: return "nil"
        case .boolean: return "a boolean"
        case .integer, .number: return "a number"
        case .string: return "a string"
        case .table: return "a table"
        case .opaque(let text): return text.split(separator: ":").first.map(String.init) ?? text
        }
    }

    private static func parameter(_ entry: LuaValue, number: Int, file: String) throws(ScenarioError) -> ScenarioParameter {
        let at = "\(file): parameter #\(number)"
        guard let name = entry["name"]?.stringValue, !name.isEmpty else { throw ScenarioError("\(at) has no name") }
        guard let typeName = entry["type"]?.stringValue, let kind = ScenarioParameter.Kind(rawValue: typeName) else {
            throw ScenarioError("\(at) ('\(name)') has type \(entry["type"]?.stringValue.map { "'\($0)'" } ?? "nil") (expected one of: \(ScenarioParameter.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var choices: [String] = []
        if case .table(let list, _)? = entry["choices"] { choices = list.compactMap(\.stringValue) }
        let draft = ScenarioParameter(name: name, kind: kind, defaultValue: .nil, help: entry["help"]?.stringValue ?? "", choices: choices)
        let defaultValue: LuaValue
        switch entry["default"] {
        case nil, .nil?: throw ScenarioError("\(at) ('\(name)') has no default")
        case .string(let text)?: defaultValue = try draft.parse(text)
        case .integer(let value)? where kind == .size || kind == .integer: defaultValue = .integer(value)
        case .integer(let value)? where kind == .number: defaultValue = .number(Double(value))
        case .number(let value)? where kind == .number: defaultValue = .number(value)
        case .boolean(let flag)? where kind == .boolean: defaultValue = .boolean(flag)
        default: throw ScenarioError("\(at) ('\(name)'): the default does not fit type \(kind.rawValue)")
        }
        return ScenarioParameter(name: name, kind: kind, defaultValue: defaultValue, help: draft.help, choices: choices)
    }

    /// The effective parameters: defaults overridden by `--set name=value` pairs.
    public func resolve(_ settings: [(String, String)]) throws(ScenarioError) -> [(name: String, value: LuaValue)] {
        var values = parameters.map { (name: $0.name, value: $0.defaultValue) }
        for (name, text) in settings {
            guard let index = parameters.firstIndex(where: { $0.name == name }) else {
                let valid = parameters.isEmpty ? "this scenario declares no parameters"
                    : "valid: " + parameters.map { "\($0.name) (\($0.kind.rawValue))" }.joined(separator: ", ")
                throw ScenarioError("unknown parameter '\(name)' (\(valid))")
            }
            values[index].value = try parameters[index].parse(text)
        }
        return values
    }
}
