import LuaBridge
import PageCore

/// `local numa = require "pagelab.numa"`: topologies, thread policies, numastat and numa_maps,
/// and the cost of placement. Functions that take a space use the scenario's when it is left out.
enum NUMAModule {
    static func functions(session: Session, regions: LuaHandleType<Region>, spaces: LuaHandleType<AddressSpace>) -> [LuaFunction] {
        func space(_ call: LuaCall, _ position: Int32) throws -> AddressSpace {
            call.isNoneOrNil(position) ? session.space : try spaces.object(call, position)
        }
        return [
            LuaFunction(
                "topology", parameters: ["space?: pagelab.Space"], returns: "pagelab.Topology",
                summary: "Nodes (id, cpus, memory), the distance matrix and where they come from: sysfs on the host, the simulated machine on the model."
            ) { call in
                let space = try space(call, 1)
                call.push(topology(space.topology, source: space.source))
                return 1
            },
            LuaFunction(
                "presets", returns: "string[]", summary: "The named simulated machines: \(NUMATopology.presetNames.joined(separator: ", "))."
            ) { call in
                call.push(LuaValue.table(array: NUMATopology.presetNames.map(LuaValue.string), record: [:]))
                return 1
            },
            LuaFunction(
                "set_policy", parameters: ["policy: {policy: string, nodes?: integer|integer[], weights?: integer[]}", "space?: pagelab.Space"],
                summary: "The calling thread's memory policy (set_mempolicy); touch workers inherit it."
            ) { call in
                try session.guardDeclaration("set_policy")
                let target = try space(call, 2)
                let (policy, _) = try PolicySpec.parse(try call.value(1), position: 1, allowMove: false)
                try mapErrors(["nodes": 1, "weights": 1]) { try target.setThreadPolicy(policy) }
                return 0
            },
            LuaFunction(
                "get_policy", parameters: ["space?: pagelab.Space"], returns: "{policy: string, nodes: integer[]}",
                summary: "The calling thread's memory policy (get_mempolicy)."
            ) { call in
                let target = try space(call, 1)
                call.push(PolicySpec.value(try mapErrors([:]) { try target.threadPolicy() }))
                return 1
            },
            LuaFunction(
                "numastat", parameters: ["space?: pagelab.Space"], returns: "string",
                summary: "Memory per node of every region (numastat -p), then the allocation counters per node."
            ) { call in
                let target = try space(call, 1)
                call.push(try mapErrors([:]) { try NUMAReport.numastat(target) })
                return 1
            },
            LuaFunction(
                "numa_maps", parameters: ["space?: pagelab.Space"], returns: "string",
                summary: "A numa_maps line for each part of each region with its own policy: policy, pages per node."
            ) { call in
                let target = try space(call, 1)
                call.push(try mapErrors([:]) { try NUMAReport.numaMaps(target.regions) })
                return 1
            },
            LuaFunction(
                "access_cost", parameters: ["region: pagelab.Region", "options?: {from?: integer|integer[], offset?: size, length?: size}"],
                returns: "{relative: number, extra: number, remote: number, average_distance: number}",
                summary: "Expected cost of uniform accesses to the region's resident pages (or offset/length of it) by threads on the `from` nodes (default: the nodes of CPU 0), relative to all-local, from the distance matrix."
            ) { call in
                let region = try regions.object(call, 1)
                let options = try call.options(2, allowed: ["from", "offset", "length"])
                let topology = try region.topology()
                var from = [Int]()
                if options != nil, let field = try call.value(2)["from"] {
                    switch field {
                    case .integer(let node): from = [node]
                    case .table(let list, let rest) where rest.isEmpty && !list.isEmpty && list.allSatisfy({ $0.integerValue != nil }):
                        from = list.compactMap(\.integerValue)
                    default: throw LuaArgumentError(position: 2, message: "option 'from': a node or a list of nodes expected, got \(MachineSpec.describe(field))")
                    }
                } else {
                    from = [topology.nodes.first { $0.cpus.contains(0) }?.id ?? topology.nodeIDs[0]]
                }
                let offset = try options?.size("offset")
                let length = try options?.size("length")
                let cost = try mapErrors(["nodes": 2, "from": 2, "pages": 1, "offset": 2, "length": 2]) {
                    let stats = try region.stats(offset: offset, length: length)
                    return try topology.accessCost(pages: stats.nodes, from: Dictionary(from.map { ($0, 1.0) }, uniquingKeysWith: +))
                }
                call.push(LuaValue.table(array: [], record: [
                    "relative": .number(cost.relative), "extra": .number(cost.relative - 1),
                    "remote": .number(cost.remoteShare), "average_distance": .number(cost.averageDistance),
                ]))
                return 1
            },
        ]
    }

    static func topology(_ topology: NUMATopology, source: FigureSource) -> LuaValue {
        let nodes = topology.nodes.map { node in
            LuaValue.table(array: [], record: [
                "id": .integer(node.id), "memory": .integer(node.memory),
                "cpus": .table(array: node.cpus.map(LuaValue.integer), record: [:]),
            ])
        }
        let distances = topology.distances.map { row in LuaValue.table(array: row.map(LuaValue.integer), record: [:]) }
        return .table(array: [], record: [
            "nodes": .table(array: nodes, record: [:]),
            "distance": .table(array: distances, record: [:]),
            "source": .string(source.rawValue),
        ])
    }
}
