/// A JVM command line as HotSpot's `Arguments::parse_each_vm_init_arg` reads it: the flags set
/// explicitly, in order, and the `-X` options that are not flags. Defaults and ergonomics are
/// `JVMConfiguration`'s business; this only records what the user said.
public struct JVMArguments: Sendable {
    public enum ShareMode: String, Sendable { case auto, on, off }
    public enum ExecutionMode: String, Sendable { case mixed, interpreted = "int", compiled = "comp" }

    public let jdk: JDK
    /// The options as given.
    public let options: [String]
    /// Flags set on the command line, by name (the last setting wins, as in HotSpot).
    public private(set) var explicit: [String: JVMFlagValue] = [:]
    public private(set) var share = ShareMode.auto
    public private(set) var execution = ExecutionMode.mixed

    public init(_ options: [String], jdk: JDK) throws(JVMError) {
        self.jdk = jdk
        self.options = options
        for option in options {
            try parse(option)
        }
    }

    /// Whether the user set `name` (HotSpot's `!FLAG_IS_DEFAULT`).
    public func isExplicit(_ name: String) -> Bool { explicit[name] != nil }

    /// The flag's value: the user's, else HotSpot's default.
    func value(_ name: String) -> JVMFlagValue {
        guard let spec = JVMFlagTable.byName[name] else { preconditionFailure("flag \(name) is not in JVMFlagTable") }
        return explicit[name] ?? spec.defaultValue
    }

    func integer(_ name: String) -> Int {
        guard case .integer(let value) = value(name) else { preconditionFailure("flag \(name) is not an integer flag") }
        return value
    }

    func bool(_ name: String) -> Bool {
        guard case .bool(let value) = value(name) else { preconditionFailure("flag \(name) is not a bool flag") }
        return value
    }

    func double(_ name: String) -> Double {
        guard case .double(let value) = value(name) else { preconditionFailure("flag \(name) is not a double flag") }
        return value
    }

    func string(_ name: String) -> String {
        guard case .string(let value) = value(name) else { preconditionFailure("flag \(name) is not a string flag") }
        return value
    }

    // MARK: Parsing

    private static let ignoredPrefixes = ["-Xlog", "-D", "-verbose", "-ea", "-da", "-esa", "-dsa", "-javaagent", "-agentlib", "-agentpath"]
    private static let ignoredOptions: Set<String> = ["-version", "-showversion", "-server", "-client", "-Xbatch", "-Xrs",
                                                      "-XshowSettings", "-Xdiag", "-Xcheck:jni", "-Xnoclassgc"]

    private mutating func parse(_ option: String) throws(JVMError) {
        if option.hasPrefix("-XX:") {
            try parseFlag(String(option.dropFirst(4)))
        } else if let tail = option.tail(after: "-Xmx") {
            set("MaxHeapSize", try Self.memorySize(tail, or: "Invalid maximum heap size: \(option)"))
        } else if let tail = option.tail(after: "-Xms") {
            let size = try Self.memorySize(tail, or: "Invalid initial heap size: \(option)")
            // -Xms sets both the minimum and the initial size (JDK-8223837, JDK 13).
            set("MinHeapSize", size)
            set("InitialHeapSize", size)
        } else if let tail = option.tail(after: "-Xmn") {
            let size = try Self.memorySize(tail, or: "Invalid new generation size: \(option)")
            set("MaxNewSize", size)
            set("NewSize", size)
        } else if let tail = option.tail(after: "-Xss") {
            let size = try Self.memorySize(tail, or: "Invalid thread stack size: \(option)")
            // ThreadStackSize is in KiB, rounded up (Arguments::parse_xss).
            set("ThreadStackSize", (size + 1023) / 1024)
        } else if let tail = option.tail(after: "-Xshare:") {
            guard let mode = ShareMode(rawValue: tail) else { throw JVMError("Unrecognized option: \(option)") }
            share = mode
        } else if option == "-Xint" || option == "-Xmixed" || option == "-Xcomp" {
            execution = ExecutionMode(rawValue: String(option.dropFirst(2))) ?? .mixed
        } else if Self.ignoredOptions.contains(option) || Self.ignoredPrefixes.contains(where: option.hasPrefix) {
            return
        } else if option.hasPrefix("-") {
            throw JVMError("Unrecognized option: \(option)")
        } else {
            throw JVMError("'\(option)' is not a JVM option: give options only, without a main class")
        }
    }

    private mutating func set(_ name: String, _ value: Int) {
        explicit[name] = .integer(value)
    }

    private mutating func parseFlag(_ text: String) throws(JVMError) {
        let sign = text.first
        if sign == "+" || sign == "-" {
            let name = String(text.dropFirst())
            let spec = try knownFlag(name, as: text)
            guard case .bool = spec.kind else {
                if case .ignored = spec.kind { return }
                throw JVMError("Unexpected +/- setting in VM option '\(name)'")
            }
            explicit[name] = .bool(sign == "+")
            return
        }
        guard let equals = text.firstIndex(of: "=") else {
            let spec = try knownFlag(text, as: text)
            if case .bool = spec.kind { throw JVMError("Missing +/- setting for VM option '\(text)'") }
            if case .ignored = spec.kind { return }
            throw JVMError("Improperly specified VM option '\(text)'")
        }
        let name = String(text[..<equals])
        let valueText = String(text[text.index(after: equals)...])
        let spec = try knownFlag(name, as: text)
        let value = try Self.value(of: spec, valueText, option: text)
        if name == "G1HeapRegionSize", case .integer(let size) = value, size > jdk.g1MaxRegionSize {
            throw JVMError("size_t G1HeapRegionSize=\(size) is outside the allowed range [ 0 ... \(jdk.g1MaxRegionSize) ]\nImproperly specified VM option '\(text)'")
        }
        explicit[name] = value
    }

    private func knownFlag(_ name: String, as written: String) throws(JVMError) -> JVMFlagSpec {
        guard let spec = JVMFlagTable.byName[name], spec.exists(in: jdk) else {
            throw JVMError("Unrecognized VM option '\(written)'")
        }
        return spec
    }

    private static func value(of spec: JVMFlagSpec, _ text: String, option: String) throws(JVMError) -> JVMFlagValue {
        let improper = "Improperly specified VM option '\(option)'"
        let value: JVMFlagValue
        switch spec.kind {
        case .ignored:
            return .string(text)
        case .bool:
            guard let flag = ["true": true, "1": true, "false": false, "0": false][text] else { throw JVMError(improper) }
            return .bool(flag)
        case .size, .uintx:
            value = .integer(try memorySize(text, or: improper))
        case .intx:
            let negative = text.hasPrefix("-")
            let magnitude = try memorySize(negative ? String(text.dropFirst()) : text, or: improper)
            value = .integer(negative ? -magnitude : magnitude)
        case .double:
            guard let number = Double(text), number.isFinite else { throw JVMError(improper) }
            value = .double(number)
        case .ccstr(let choices):
            guard choices.contains(text) else {
                throw JVMError("Unrecognized value \(text) for \(spec.name). Has to be one of \"\(choices.joined(separator: "\", \""))\".")
            }
            return .string(text)
        }
        if let violation = violation(of: value, against: spec) {
            throw JVMError(violation + "\n" + improper)
        }
        return value
    }

    /// HotSpot's range and constraint checks (`JVMFlagRangeChecker`, the constraint functions),
    /// with their messages; nil when the value is acceptable.
    static func violation(of value: JVMFlagValue, against spec: JVMFlagSpec) -> String? {
        let number: Double
        switch value {
        case .integer(let integer): number = Double(integer)
        case .double(let double): number = double
        default: return nil
        }
        if let range = spec.range, !range.contains(number) {
            let format = { (x: Double) in spec.kind.isDouble ? String(format6: x) : String(Int(x)) }
            return "\(spec.typeName) \(spec.name)=\(format(number)) is outside the allowed range [ \(format(range.lowerBound)) ... \(format(range.upperBound)) ]"
        }
        if spec.powerOfTwo, case .integer(let integer) = value, integer & (integer - 1) != 0 {
            return "\(spec.name) (\(integer)) must be power of 2"
        }
        return nil
    }

    /// `Arguments::parse_memory_size` / `atojulong`: decimal or 0x hexadecimal digits with an
    /// optional k, m, g or t in either case.
    static func memorySize(_ text: String, or message: String) throws(JVMError) -> Int {
        var digits = Substring(text)
        var shift = 0
        if let last = digits.last, let unit = "kmgt".firstIndex(of: Character(last.lowercased())) {
            shift = 10 * ("kmgt".distance(from: "kmgt".startIndex, to: unit) + 1)
            digits = digits.dropLast()
        }
        let number: Int?
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            number = Int(digits.dropFirst(2), radix: 16)
        } else {
            number = digits.allSatisfy(\.isASCII) ? Int(digits) : nil
        }
        guard let number, number >= 0, number <= Int.max >> shift else { throw JVMError(message) }
        return number << shift
    }
}

private extension JVMFlagSpec.Kind {
    var isDouble: Bool {
        if case .double = self { return true }
        return false
    }
}

private extension String {
    /// HotSpot prints doubles in range messages with `%f`.
    init(format6 value: Double) {
        let scaled = (value * 1_000_000).rounded()
        let whole = Int(scaled) / 1_000_000
        let fraction = abs(Int(scaled) % 1_000_000)
        self = "\(whole)." + String(repeating: "0", count: 6 - String(fraction).count) + String(fraction)
    }

    func tail(after prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
