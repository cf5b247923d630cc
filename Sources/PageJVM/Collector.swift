/// The garbage collectors the models lay out.
public enum Collector: String, Sendable {
    case g1 = "G1"
    case parallel = "Parallel"
    case serial = "Serial"
    case z = "Z"

    var flag: String { "Use\(rawValue)GC" }

    /// `GCConfig::select_gc`: the collector the user named, else G1 on a server-class machine
    /// (`os::is_server_class_machine`: at least 2 processors and 2 GiB less 256 MiB of memory),
    /// else Serial.
    static func select(_ arguments: JVMArguments, machine: JVMMachine) throws(JVMError) -> Collector {
        let chosen = [Collector.g1, .parallel, .serial, .z].filter { arguments.bool($0.flag) }
        if chosen.count > 1 {
            throw JVMError("Multiple garbage collectors selected", stage: .initialization)
        }
        if let collector = chosen.first { return collector }
        let serverClass = machine.cpus >= 2 && machine.ram >= (2 << 30) - (256 << 20)
        return serverClass ? .g1 : .serial
    }
}

/// HotSpot's compressed-oops modes, in `CompressedOops::mode_to_string`'s words.
public enum CompressedOopsMode: String, Sendable {
    case unscaled = "32-bit"
    case zeroBased = "Zero based"
    case disjointBase = "Non-zero disjoint base"
    case heapBased = "Non-zero based"
    case disabled = "Disabled"
}
