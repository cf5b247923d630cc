import LuaBridge
import PageCore

/// The region methods of NUMA placement and of the model: `bind`, `migrate`, `nodes`,
/// `numa_maps`, and `touch_pages` for scattered first touches.
extension RegionBinding {
    static func numaMethods(session: Session) -> [LuaMethod<Region>] {
        [
            LuaMethod("bind", parameters: rangeParameters + ["policy: {policy: string, nodes?: integer|integer[], weights?: integer[], move?: boolean}"],
                      returns: "pagelab.Op", summary: "mbind(2): the range's memory policy ({policy = \"interleave\", nodes = {0, 1}}); move = true migrates pages already there.") { region, call in
                try session.guardDeclaration("bind")
                let (offset, length) = try range(region, call)
                let (policy, move) = try PolicySpec.parse(try call.value(4), position: 4, allowMove: true)
                let result = try mapErrors(["offset": 2, "length": 3, "nodes": 4, "weights": 4]) {
                    try region.bind(offset: offset, length: length, policy: policy, move: move)
                }
                session.log("bind", region: region, offset: offset, length: length,
                            detail: policy.numaMapsText + (move ? ", move" : ""), result: result)
                Presentation.push(result, on: call)
                return 1
            },
            LuaMethod("migrate", parameters: rangeParameters + ["node: integer"], returns: "pagelab.Op",
                      summary: "Moves the range's resident pages to `node` (move_pages(2)); the result counts them in `moved`.") { region, call in
                try session.guardDeclaration("migrate")
                let (offset, length) = try range(region, call)
                let node = try call.integer(4)
                let (moved, result) = try mapErrors(["offset": 2, "length": 3, "node": 4]) {
                    try region.migrate(offset: offset, length: length, to: node)
                }
                session.log("migrate", region: region, offset: offset, length: length, detail: "to node \(node), \(moved) pages moved", result: result)
                Presentation.push(result, on: call, extra: ["moved": moved])
                return 1
            },
            LuaMethod("nodes", parameters: rangeParameters, returns: "integer[]",
                      summary: "The node of each base page of the range as move_pages(2) says: -2 not present, -14 the zero page; at most 1M pages at a time.") { region, call in
                let (offset, length) = try range(region, call)
                let pages = length / HostInfo.pageSize
                guard pages <= maximumNodeQuery else {
                    throw LuaArgumentError(position: 3, message: "nodes() of \(ByteSize.format(length)) is \(pages) pages; ask for at most \(maximumNodeQuery) at a time")
                }
                let nodes = try mapErrors(positions) { try region.pageNodes(offset: offset, length: length) }
                call.push(LuaValue.table(array: nodes.map(LuaValue.integer), record: [:]))
                return 1
            },
            LuaMethod("numa_maps", returns: "string", summary: "The region's numa_maps lines: policy and pages per node.") { region, call in
                call.push(try mapErrors([:]) { try NUMAReport.numaMaps([region]) })
                return 1
            },
            LuaMethod("touch_pages", parameters: ["pages: integer[]", "options?: {write?: boolean}"], returns: "pagelab.Op",
                      summary: "Touches the listed pages (indexes from 0) in that order, for scattered first touches.") { region, call in
                try session.guardDeclaration("touch_pages")
                guard case .table(let list, let rest) = try call.value(2), rest.isEmpty, list.allSatisfy({ $0.integerValue != nil }) else {
                    throw call.typeError(2, expected: "list of page indexes")
                }
                let options = try call.options(3, allowed: ["write"])
                let write = try options?.boolean("write") ?? true
                let result = try mapErrors(["pages": 2]) { try region.touch(pages: list.compactMap(\.integerValue), write: write) }
                session.log("touch_pages", region: region, offset: nil, length: nil,
                            detail: "\(list.count) pages, \(write ? "write" : "read")", result: result)
                Presentation.push(result, on: call)
                return 1
            },
        ]
    }

    /// The most pages `nodes()` lists at once: a Lua table of 1M integers is about 16 MiB.
    static let maximumNodeQuery = 1 << 20
}
