import LuaBridge
import PageCore

/// Address spaces as Lua handles (`pl.space{...}`): a model (or another host) space beside the
/// scenario's, with the same way of working: `space:reserve(size, options)` gives regions with all
/// the region methods. Closing the space closes its regions.
enum SpaceBinding {
    static func makeType(session: Session, regions: LuaHandleType<Region>, shared: LuaHandleType<SharedMemory>) -> LuaHandleType<AddressSpace> {
        LuaHandleType<AddressSpace>(
            name: "space", className: "pagelab.Space",
            summary: "An address space beside the scenario's (pl.space): its regions have every region method; closing it closes them.",
            methods: [
                LuaMethod("reserve", parameters: PagelabModule.reserveParameters, returns: "pagelab.Region",
                          summary: "Reserves address space in this space, as pl.reserve does in the scenario's.") { space, call in
                    try PagelabModule.reserve(in: space, call, first: 2, session: session, regions: regions)
                },
                LuaMethod("report", returns: "string", summary: "The region table of this space, as pl.report.") { space, call in
                    call.push(try PagelabModule.report(space, regions: space.regions))
                    return 1
                },
                LuaMethod("shared", parameters: SharedMemoryBinding.createParameters, returns: "pagelab.SharedMemory",
                          summary: "A shared memory file in this space, as pl.shared.") { space, call in
                    try SharedMemoryBinding.create(in: space, call, first: 2, session: session, shared: shared)
                },
                LuaMethod("process", parameters: ["options?: {pss?: boolean}"], returns: "pagelab.Process",
                          summary: "This space's process figures, as pl.process.") { space, call in
                    call.push(LuaValue(RunReport.process(space.processStats(proportional: try RunReport.wantsPss(call, 2)))))
                    return 1
                },
                LuaMethod("host", returns: "pagelab.Host", summary: "The machine of this space, as pl.host.") { space, call in
                    call.push(LuaValue(HostManifest.json(of: space)))
                    return 1
                },
            ],
            properties: [
                LuaProperty("backend", type: "\"host\"|\"model\"", summary: "Where this space's memory lives.") { space, call in call.push(space.kind.name) },
            ],
            describe: describe,
            release: { space in session.release(space) })
    }

    /// "space (model: 2 nodes, 32G, THP madvise, 4-level paging)".
    static func describe(_ space: AddressSpace) -> String {
        guard let machine = space.machine else { return "space (host)" }
        let memory = machine.topology.nodes.reduce(0) { $0 + $1.memory }
        let nodes = machine.topology.nodes.count
        return "space (model: \(nodes) node\(nodes == 1 ? "" : "s"), \(ByteSize.format(memory)), THP \(machine.thpMode), \(machine.pageTableLevels)-level paging)"
    }
}
