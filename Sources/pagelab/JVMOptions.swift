import ArgumentParser

/// The command line of `pagelab jvm`, parsed by hand rather than by ArgumentParser. Issue 3 times
/// `pagelab jvm -Xmx8g` against `java -Xmx8g -version` and wants a tenth of it (~2 ms): building
/// ArgumentParser's tree of every subcommand, with its reflection and protocol-conformance scans,
/// cost 1.6 ms on its own. `PageLab.main` hands `pagelab jvm` here directly; `JVMCommand` keeps
/// the subcommand in ArgumentParser's help, whose option list is `JVMOptions.help`.
struct JVMOptions {
    var jdk = 17
    var backend = "host"
    var format = "text"
    var ram: String?
    var cpus: Int?
    var detail = false
    var budget: String?
    /// The JVM's own options, e.g. -Xmx8g -XX:+UseG1GC.
    var flags: [String] = []

    /// Every option of `pagelab jvm`, with the name of its value (nil for a flag) and its help.
    private enum Option: String, CaseIterable {
        case jdk, backend, format, ram, cpus, detail, budget

        var valueName: String? {
            switch self {
            case .jdk, .cpus: "n"
            case .backend: "backend"
            case .format: "format"
            case .ram, .budget: "size"
            case .detail: nil
            }
        }

        var help: String {
            switch self {
            case .jdk: "The HotSpot release to model: 17, 21 or 25. (default: 17)"
            case .backend: "host (real memory, measured) or model (simulated). (default: host)"
            case .format: "text or json. (default: text)"
            case .ram: "Physical memory the JVM sees, instead of the host's (e.g. 64g)."
            case .cpus: "Processors the JVM sees, instead of the host's."
            case .detail: "List every reservation with its committed ranges and resident bytes."
            case .budget: "The most memory PageLab may make resident (e.g. 4g)."
            }
        }

        /// "--jdk <n>", as messages and the help name it.
        var label: String { valueName.map { "--\(rawValue) <\($0)>" } ?? "--\(rawValue)" }
    }

    /// The options as `pagelab jvm --help` lists them.
    static var help: String {
        Option.allCases.map { option in
            "  " + option.label.padding(toLength: 22, withPad: " ", startingAt: 0) + " " + option.help
        }.joined(separator: "\n")
    }

    /// Whether ArgumentParser should take the command line instead: a request for help.
    static func asksForHelp(_ arguments: [String]) -> Bool {
        arguments.prefix { $0 != "--" }.contains { $0 == "-h" || $0 == "--help" || $0 == "-help" }
    }

    /// Options may come in any order, as `--name value` or `--name=value`; everything else, and
    /// everything after `--`, is the JVM's.
    init(parsing arguments: [String]) throws(ValidationError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                flags += arguments[index...]
                return
            }
            // Byte-wise: Character-wise splitting would cost Unicode property lookups at startup.
            let equals = argument.hasPrefix("--") ? argument.utf8.firstIndex(of: UInt8(ascii: "=")) : nil
            let name = argument.hasPrefix("--") ? String(decoding: argument.utf8.dropFirst(2).prefix { $0 != UInt8(ascii: "=") }, as: UTF8.self) : nil
            guard let option = name.flatMap(Option.init(rawValue:)) else {
                flags.append(argument)
                continue
            }
            var value = ""
            if option.valueName == nil {
                guard equals == nil else { throw ValidationError("The option '\(option.label)' does not take a value") }
            } else if let equals {
                value = String(argument[argument.utf8.index(after: equals)...])
            } else if index < arguments.count {
                value = arguments[index]
                index += 1
            } else {
                throw ValidationError("Missing value for '\(option.label)'")
            }
            func number() throws(ValidationError) -> Int {
                guard let number = Int(value) else { throw ValidationError("The value '\(value)' is invalid for '\(option.label)'") }
                return number
            }
            switch option {
            case .jdk: jdk = try number()
            case .backend: backend = value
            case .format: format = value
            case .ram: ram = value
            case .cpus: cpus = try number()
            case .budget: budget = value
            case .detail: detail = true
            }
        }
    }
}
