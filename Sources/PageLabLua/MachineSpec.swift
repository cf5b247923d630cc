import LuaBridge
import PageCore

/// What `pl.space{...}` describes, read from its table: the backend, and for the model the
/// simulated machine. Every mistake names the option and the value.
///
///     pl.space{ backend = "model",
///               numa = "2-socket" | { nodes = 2, memory = "16g" | {"16g", "8g"}, distance = {{10,21},{21,10}}, cpus = 4 }
///                      | { preset = "4-socket", memory = "32g" },
///               thp = "always", hugetlb = { ["2m"] = 512, ["1g"] = 4 }, levels = 5 }
enum MachineSpec {
    static let options = ["backend", "numa", "thp", "hugetlb", "levels", "name"]
    private static let modelOptions = ["numa", "thp", "hugetlb", "levels"]

    /// The backend the table at `position` asks for (the model unless `backend = "host"`).
    static func backend(_ table: LuaValue, position: Int32) throws -> Backend {
        guard case .table(let array, let record) = table, array.isEmpty else {
            throw LuaArgumentError(position: position, message: "a table { backend =, numa =, thp =, hugetlb =, levels = } expected")
        }
        if let unknown = record.keys.sorted().first(where: { !options.contains($0) }) {
            throw LuaArgumentError(position: position, message: "unknown option '\(unknown)' (valid: \(options.joined(separator: ", ")))")
        }
        func fail(_ message: String) -> LuaArgumentError { LuaArgumentError(position: position, message: message) }
        let name = try record["backend"].map { value throws -> String in
            guard let text = value.stringValue, Backend.names.contains(text) else {
                throw fail("option 'backend': expected one of \(Backend.names.joined(separator: ", ")), got \(describe(value))")
            }
            return text
        } ?? "model"
        if name == "host" {
            if let option = modelOptions.first(where: { record[$0] != nil }) {
                throw fail("option '\(option)' applies only to backend 'model' (the host is what it is)")
            }
            return .host
        }
        let host = SimulatedMachine.likeHost()
        do {
            let topology = try record["numa"].map { try Self.topology($0, fail) } ?? host.topology
            let thp = try record["thp"].map { value throws -> String in
                guard let text = value.stringValue else { throw fail("option 'thp': string expected, got \(describe(value))") }
                return text
            } ?? host.thpMode
            let pools = try record["hugetlb"].map { try Self.pools($0, fail) } ?? host.hugetlbPages
            let levels = try record["levels"].map { value throws -> Int in
                guard let number = value.integerValue else { throw fail("option 'levels': integer expected, got \(describe(value))") }
                return number
            } ?? host.pageTableLevels
            return .model(try SimulatedMachine(topology: topology, thpMode: thp, hugetlbPages: pools, pageTableLevels: levels))
        } catch let error as PageError {
            throw fail(error.message)
        }
    }

    private static func topology(_ value: LuaValue, _ fail: (String) -> LuaArgumentError) throws -> NUMATopology {
        if let preset = value.stringValue { return try NUMATopology.preset(preset) }
        guard case .table(let array, let record) = value, array.isEmpty else {
            throw fail("option 'numa': a preset name or a table { nodes =, memory =, distance =, cpus = } expected, got \(describe(value))")
        }
        let allowed = ["preset", "nodes", "memory", "distance", "cpus"]
        if let unknown = record.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw fail("option 'numa': unknown field '\(unknown)' (valid: \(allowed.joined(separator: ", ")))")
        }
        func integer(_ key: String) throws -> Int? {
            guard let field = record[key] else { return nil }
            guard let number = field.integerValue else { throw fail("numa.\(key): integer expected, got \(describe(field))") }
            return number
        }
        let memory = try record["memory"].map { field throws -> [Int] in
            if case .table(let sizes, let rest) = field, rest.isEmpty { return try sizes.map { try size($0, "numa.memory", fail) } }
            return [try size(field, "numa.memory", fail)]
        }
        if let preset = record["preset"] {
            guard let name = preset.stringValue else { throw fail("numa.preset: string expected, got \(describe(preset))") }
            if let clash = ["nodes", "distance"].first(where: { record[$0] != nil }) {
                throw fail("numa.\(clash) cannot change preset '\(name)' (only memory and cpus can)")
            }
            let base = try NUMATopology.preset(name)
            return try NUMATopology(count: base.nodes.count, memory: memory ?? base.nodes.map(\.memory),
                                    cpusPerNode: try integer("cpus") ?? base.nodes[0].cpus.count, distances: base.distances)
        }
        guard let count = try integer("nodes") else { throw fail("option 'numa': 'nodes' (a count) or 'preset' is required") }
        let distances = try record["distance"].map { field throws -> [[Int]] in
            guard case .table(let rows, let rest) = field, rest.isEmpty else {
                throw fail("numa.distance: a list of rows expected, got \(describe(field))")
            }
            return try rows.enumerated().map { index, row throws -> [Int] in
                guard case .table(let entries, let extra) = row, extra.isEmpty, entries.allSatisfy({ $0.integerValue != nil }) else {
                    throw fail("numa.distance row \(index + 1): a list of integers expected, got \(describe(row))")
                }
                return entries.compactMap(\.integerValue)
            }
        }
        return try NUMATopology(count: count, memory: memory ?? [16 << 30], cpusPerNode: try integer("cpus") ?? 4, distances: distances)
    }

    private static func pools(_ value: LuaValue, _ fail: (String) -> LuaArgumentError) throws -> [Int: Int] {
        guard case .table(let array, let record) = value, array.isEmpty else {
            throw fail("option 'hugetlb': a table { [\"2m\"] = pages, [\"1g\"] = pages } expected, got \(describe(value))")
        }
        var pools: [Int: Int] = [:]
        for (key, count) in record.sorted(by: { $0.key < $1.key }) {
            let pageSize = try size(.string(key), "hugetlb key", fail)
            guard let pages = count.integerValue else { throw fail("hugetlb[\"\(key)\"]: a page count expected, got \(describe(count))") }
            pools[pageSize] = pages
        }
        return pools
    }

    static func size(_ value: LuaValue, _ what: String, _ fail: (String) -> LuaArgumentError) throws -> Int {
        switch value {
        case .integer(let number): return number
        case .string(let text):
            do { return try ByteSize.parse(text) } catch { throw fail("\(what): \(error.message)") }
        default: throw fail("\(what): size expected, got \(describe(value))")
        }
    }

    static func describe(_ value: LuaValue) -> String {
        switch value {
        case .nil: "nil"
        case .boolean(let flag): String(flag)
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .string(let text): "'\(text)'"
        case .table: "a table"
        case .opaque(let text): text
        }
    }
}
