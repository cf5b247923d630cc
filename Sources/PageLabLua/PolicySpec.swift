import LuaBridge
import PageCore

/// A memory policy as scripts write it: `{ policy = "interleave", nodes = {0, 1} }`,
/// `{ policy = "preferred", nodes = 1 }`, `{ policy = "weighted-interleave", nodes = {0, 1},
/// weights = {3, 1} }`, `{ policy = "bind", nodes = {1}, move = true }`.
enum PolicySpec {
    /// The policy (and the `move` flag, where `allowMove`) in the table at `position`.
    static func parse(_ value: LuaValue, position: Int32, allowMove: Bool) throws -> (policy: MemoryPolicy, move: Bool) {
        func fail(_ message: String) -> LuaArgumentError { LuaArgumentError(position: position, message: message) }
        guard case .table(let array, let record) = value, array.isEmpty else {
            throw fail("a table { policy =, nodes =\(allowMove ? ", move =" : "") } expected, got \(MachineSpec.describe(value))")
        }
        let allowed = ["policy", "nodes", "weights"] + (allowMove ? ["move"] : [])
        if let unknown = record.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw fail("unknown option '\(unknown)' (valid: \(allowed.joined(separator: ", ")))")
        }
        let modes = MemoryPolicy.Mode.allCases.map(\.rawValue)
        guard let name = record["policy"]?.stringValue, let mode = MemoryPolicy.Mode(rawValue: name) else {
            throw fail("option 'policy': expected one of \(modes.joined(separator: ", ")), got \(record["policy"].map(MachineSpec.describe) ?? "nil")")
        }
        let nodes = try integers(record["nodes"], "nodes", fail)
        let weights = try integers(record["weights"], "weights", fail)
        var move = false
        if let flag = record["move"] {
            guard case .boolean(let value) = flag else { throw fail("option 'move': boolean expected, got \(MachineSpec.describe(flag))") }
            move = value
        }
        return (MemoryPolicy(mode, nodes: nodes, weights: weights), move)
    }

    /// A policy as scripts read it back.
    static func value(_ policy: MemoryPolicy) -> LuaValue {
        var record: [String: LuaValue] = [
            "policy": .string(policy.mode.rawValue),
            "nodes": .table(array: policy.nodes.map(LuaValue.integer), record: [:]),
        ]
        if !policy.weights.isEmpty { record["weights"] = .table(array: policy.weights.map(LuaValue.integer), record: [:]) }
        return .table(array: [], record: record)
    }

    /// An integer or a list of integers.
    private static func integers(_ value: LuaValue?, _ key: String, _ fail: (String) -> LuaArgumentError) throws -> [Int] {
        switch value {
        case nil: return []
        case .integer(let number)?: return [number]
        case .table(let list, let rest)? where rest.isEmpty && list.allSatisfy({ $0.integerValue != nil }):
            return list.compactMap(\.integerValue)
        case let other?: throw fail("option '\(key)': an integer or a list of integers expected, got \(MachineSpec.describe(other))")
        }
    }
}
