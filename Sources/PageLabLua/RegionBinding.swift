import LuaBridge
import PageCore

/// Regions as Lua handles: `r:commit(offset, length)` and friends. Offsets and lengths are sizes;
/// both may be left out for the whole region, the length alone for the rest of it.
enum RegionBinding {
    static let positions: [String: Int32] = ["offset": 2, "length": 3, "stride": 4, "threads": 4, "node": 4, "protection": 4, "advice": 4]

    static func makeType(session: Session, shared: LuaHandleType<SharedMemory>) -> LuaHandleType<Region> {
        LuaHandleType<Region>(
            name: "region", className: "pagelab.Region",
            summary: "A reservation (pl.reserve, space:reserve). Offsets and lengths are sizes; leave both out for the whole region, the length alone for the rest of it.",
            methods: [
                LuaMethod("commit", parameters: rangeParameters, returns: "pagelab.Op",
                          summary: "Maps anonymous read-write memory over the range; pages come with the first touch, parts already committed keep their data.") { region, call in
                    try operate("commit", region, call, session) { try region.commit(offset: $0, length: $1) }
                },
                LuaMethod("uncommit", parameters: rangeParameters, returns: "pagelab.Op",
                          summary: "As HotSpot's os::uncommit_memory: maps the reservation back (PROT_NONE), freeing pages and page tables.") { region, call in
                    try operate("uncommit", region, call, session) { try region.uncommit(offset: $0, length: $1) }
                },
                LuaMethod("lock", parameters: rangeParameters, returns: "pagelab.Op", summary: "mlock(2): faults the committed range in and keeps it resident.") { region, call in
                    try operate("lock", region, call, session) { try region.lock(offset: $0, length: $1) }
                },
                LuaMethod("unlock", parameters: rangeParameters, returns: "pagelab.Op", summary: "munlock(2); the pages stay resident.") { region, call in
                    try operate("unlock", region, call, session) { try region.unlock(offset: $0, length: $1) }
                },
                LuaMethod("touch", parameters: rangeParameters + ["options?: {write?: boolean, stride?: integer|string, threads?: integer, node?: integer}"],
                          returns: "pagelab.Op",
                          summary: "Touches every page (or every `stride`) of the range, writing unless write = false, from `threads` threads; `r:touch{...}` for the whole region.",
                          body: touch(session)),
                LuaMethod("map_view", parameters: ["memory: pagelab.SharedMemory", "options?: {offset?: integer|string, length?: integer|string, at?: integer|string}"],
                          returns: "pagelab.Op",
                          summary: "Maps `length` bytes of a shared memory from its `offset` at region offset `at` (mmap MAP_SHARED|MAP_FIXED): one more view of the same pages.",
                          body: SharedMemoryBinding.mapViewMethod(session: session, shared: shared)),
                LuaMethod("walk", parameters: ["offset: integer|string"], returns: "pagelab.Walk",
                          summary: "The page walk for the address at `offset`: indexes per level and the leaf from pagemap.", body: PageWalkTable.method),
                LuaMethod("protect", parameters: rangeParameters + ["protection: \(Protection.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: "|"))"],
                          returns: "pagelab.Op", summary: "mprotect(2) of the range.") { region, call in
                    let text = try call.string(4)
                    guard let protection = Protection(rawValue: text) else {
                        throw LuaArgumentError(position: 4, message: "invalid protection '\(text)' (expected one of: \(Protection.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    return try operate("protect", region, call, session, detail: text) { try region.protect(offset: $0, length: $1, protection) }
                },
                LuaMethod("advise", parameters: rangeParameters + ["advice: \(Advice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: "|"))"],
                          returns: "pagelab.Op", summary: "madvise(2) of the range.") { region, call in
                    let text = try call.string(4)
                    guard let advice = Advice(rawValue: text) else {
                        throw LuaArgumentError(position: 4, message: "invalid advice '\(text)' (expected one of: \(Advice.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    return try operate("advise", region, call, session, detail: text) { try region.advise(offset: $0, length: $1, advice) }
                },
                LuaMethod("stats", parameters: rangeParameters, returns: "pagelab.Stats",
                          summary: "Bytes committed, resident, zero, huge, swapped and locked in the range, and resident bytes per NUMA node.") { region, call in
                    let (offset, length) = try range(region, call)
                    Presentation.push(try mapErrors(positions) { try region.stats(offset: offset, length: length) }, on: call)
                    return 1
                },
                LuaMethod("smaps", returns: "pagelab.Smaps", summary: "The region's lines of /proc/self/smaps, summed over its VMAs (host backend).") { region, call in
                    let smaps = try mapErrors([:]) { try region.smaps() }
                    call.push(LuaValue(.object([
                        ("vmas", .int(smaps.vmas)), ("rss", .int(smaps.rss)), ("pss", .int(smaps.pss)),
                        ("anon_huge_pages", .int(smaps.anonHugePages)), ("private_hugetlb", .int(smaps.privateHugetlb)),
                        ("swap", .int(smaps.swap)), ("locked", .int(smaps.locked)), ("thp_eligible", .int(smaps.thpEligible)),
                        ("kernel_page_size", .int(smaps.kernelPageSize)), ("vm_flags", .array(smaps.vmFlags.map(JSON.string))),
                    ])))
                    return 1
                },
                LuaMethod("map", parameters: rangeParameters + ["options?: {width?: integer, rows?: integer}"], returns: "string",
                          summary: "The range as text: one character per cell of pages, the state most of them are in, with a legend.") { region, call in
                    let (offset, length) = try range(region, call)
                    let options = try call.options(4, allowed: ["width", "rows"])
                    let states = try mapErrors(positions) { try region.pageStates(offset: offset, length: length) }
                    call.push(PageMapPicture.render(
                        states: states, offset: offset, pageSize: HostInfo.pageSize,
                        width: max(8, min(256, try options?.integer("width") ?? 64)),
                        maximumRows: max(1, min(1024, try options?.integer("rows") ?? 16))))
                    return 1
                },
            ] + numaMethods(session: session),
            properties: [
                LuaProperty("backend", type: "\"host\"|\"model\"", summary: "Where the region's memory lives.") { region, call in
                    call.push(region.source == .measured ? "host" : "model")
                },
                LuaProperty("name", type: "string", summary: "The name given to reserve, or one made up.") { region, call in call.push(region.name) },
                LuaProperty("base", type: "integer", summary: "The start address.") { region, call in call.push(Int(bitPattern: region.base)) },
                LuaProperty("size", type: "integer", summary: "Bytes reserved.") { region, call in call.push(region.size) },
            ],
            describe: { region in
                "region '\(region.name)' (\(ByteSize.format(region.size)) at 0x\(String(region.base, radix: 16))\(region.source == .simulated ? ", simulated" : ""))"
            },
            release: { region in session.close(region) })
    }

    /// The optional range most region methods start with.
    static let rangeParameters = ["offset?: integer|string", "length?: integer|string"]

    /// The (offset, length) at positions 2 and 3, defaulting to the whole region or its rest.
    static func range(_ region: Region, _ call: LuaCall) throws -> (Int, Int) {
        let offset = try call.optionalSize(2) ?? 0
        let length = try call.optionalSize(3) ?? max(0, region.size - offset)
        return (offset, length)
    }

    static func operate(
        _ name: String, _ region: Region, _ call: LuaCall, _ session: Session, detail: String? = nil,
        _ body: (Int, Int) throws -> OpResult
    ) throws -> Int32 {
        try session.guardDeclaration(name)
        let (offset, length) = try range(region, call)
        let result = try mapErrors(positions) { try body(offset, length) }
        session.log(name, region: region, offset: offset, length: length, detail: detail, result: result)
        Presentation.push(result, on: call)
        return 1
    }

    /// `r:touch([offset, length], [{write=, stride=, threads=}])`; `r:touch{...}` for the whole region.
    static func touch(_ session: Session) -> (Region, LuaCall) throws -> Int32 {
        { region, call in
            try session.guardDeclaration("touch")
            let optionsAt: Int32 = call.isTable(2) ? 2 : 4
            let options = try call.options(optionsAt, allowed: ["write", "stride", "threads", "node"])
            let (offset, length) = optionsAt == 2 ? (0, region.size) : try range(region, call)
            var touch = TouchOptions()
            touch.write = try options?.boolean("write") ?? true
            touch.stride = try options?.size("stride")
            touch.threads = try options?.integer("threads") ?? 1
            touch.node = try options?.integer("node")
            let positions = optionsAt == 2 ? ["stride": Int32(2), "threads": 2, "node": 2] : RegionBinding.positions
            let result = try mapErrors(positions) { try region.touch(offset: offset, length: length, options: touch) }
            let detail = "\(touch.write ? "write" : "read"), threads \(touch.threads)" + (touch.stride.map { ", stride \($0)" } ?? "")
                + (touch.node.map { ", node \($0)" } ?? "")
            session.log("touch", region: region, offset: offset, length: length, detail: detail, result: result)
            Presentation.push(result, on: call)
            return 1
        }
    }
}

extension Session {
    static let declarationMessage = "called while the scenario was only being described"

    /// `pagelab info` loads scenario files to read their declarations; memory work there is a
    /// mistake in the scenario (it belongs in `run`), reported rather than carried out.
    func guardDeclaration(_ operation: String) throws {
        if declarationOnly {
            throw LuaRaise("\(operation) \(Session.declarationMessage): memory work belongs in run()")
        }
    }
}
