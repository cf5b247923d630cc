import LuaBridge
import PageCore

/// Regions as Lua handles: `r:commit(offset, length)` and friends. Offsets and lengths are sizes;
/// both may be left out for the whole region, the length alone for the rest of it.
enum RegionBinding {
    static let positions: [String: Int32] = ["offset": 2, "length": 3, "stride": 4, "threads": 4, "node": 4, "protection": 4, "advice": 4]

    static func makeType(session: Session, shared: LuaHandleType<SharedMemory>) -> LuaHandleType<Region> {
        LuaHandleType<Region>(
            name: "region",
            methods: [
                "commit": { region, call in try operate("commit", region, call, session) { try region.commit(offset: $0, length: $1) } },
                "uncommit": { region, call in try operate("uncommit", region, call, session) { try region.uncommit(offset: $0, length: $1) } },
                "lock": { region, call in try operate("lock", region, call, session) { try region.lock(offset: $0, length: $1) } },
                "unlock": { region, call in try operate("unlock", region, call, session) { try region.unlock(offset: $0, length: $1) } },
                "touch": touch(session),
                "map_view": SharedMemoryBinding.mapViewMethod(session: session, shared: shared),
                "walk": PageWalkTable.method,
                "protect": { region, call in
                    let text = try call.string(4)
                    guard let protection = Protection(rawValue: text) else {
                        throw LuaArgumentError(position: 4, message: "invalid protection '\(text)' (expected one of: \(Protection.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    return try operate("protect", region, call, session, detail: text) { try region.protect(offset: $0, length: $1, protection) }
                },
                "advise": { region, call in
                    let text = try call.string(4)
                    guard let advice = Advice(rawValue: text) else {
                        throw LuaArgumentError(position: 4, message: "invalid advice '\(text)' (expected one of: \(Advice.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    return try operate("advise", region, call, session, detail: text) { try region.advise(offset: $0, length: $1, advice) }
                },
                "stats": { region, call in
                    let (offset, length) = try range(region, call)
                    Presentation.push(try mapErrors(positions) { try region.stats(offset: offset, length: length) }, on: call)
                    return 1
                },
                "smaps": { region, call in
                    let smaps = try mapErrors([:]) { try region.smaps() }
                    call.push(LuaValue(.object([
                        ("vmas", .int(smaps.vmas)), ("rss", .int(smaps.rss)), ("pss", .int(smaps.pss)),
                        ("anon_huge_pages", .int(smaps.anonHugePages)), ("private_hugetlb", .int(smaps.privateHugetlb)),
                        ("swap", .int(smaps.swap)), ("locked", .int(smaps.locked)), ("thp_eligible", .int(smaps.thpEligible)),
                        ("kernel_page_size", .int(smaps.kernelPageSize)), ("vm_flags", .array(smaps.vmFlags.map(JSON.string))),
                    ])))
                    return 1
                },
                "map": { region, call in
                    let (offset, length) = try range(region, call)
                    let options = try call.options(4, allowed: ["width", "rows"])
                    let states = try mapErrors(positions) { try region.pageStates(offset: offset, length: length) }
                    call.push(PageMapPicture.render(
                        states: states, offset: offset, pageSize: HostInfo.pageSize,
                        width: max(8, min(256, try options?.integer("width") ?? 64)),
                        maximumRows: max(1, min(1024, try options?.integer("rows") ?? 16))))
                    return 1
                },
            ].merging(numaMethods(session: session)) { base, _ in base },
            properties: [
                "backend": { region, call in call.push(region.source == .measured ? "host" : "model") },
                "name": { region, call in call.push(region.name) },
                "base": { region, call in call.push(Int(bitPattern: region.base)) },
                "size": { region, call in call.push(region.size) },
            ],
            describe: { region in
                "region '\(region.name)' (\(ByteSize.format(region.size)) at 0x\(String(region.base, radix: 16))\(region.source == .simulated ? ", simulated" : ""))"
            },
            release: { region in session.close(region) })
    }

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
    static func touch(_ session: Session) -> LuaHandleType<Region>.Method {
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
