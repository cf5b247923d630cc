import LuaBridge
import PageCore

/// Shared memory as Lua handles: `pl.shared(size, {name=})` or `space:shared(...)` makes a memory
/// file (memfd), `mem:commit()` allocates it once (fallocate), and `region:map_view(mem, ...)`
/// maps it into as many views as wanted: ZGC's heap, and why RSS counts it once per view.
enum SharedMemoryBinding {
    static func makeType(session: Session) -> LuaHandleType<SharedMemory> {
        LuaHandleType<SharedMemory>(
            name: "shared_memory", className: "pagelab.SharedMemory",
            summary: "A shared memory file (pl.shared): committed once, mapped into regions as views (region:map_view); ZGC's heap.",
            methods: [
                LuaMethod("commit", parameters: RegionBinding.rangeParameters, returns: "pagelab.Op",
                          summary: "fallocate(2): allocates the range once, whatever the number of views.") { memory, call in
                    try operate("commit", memory, call, session) { try memory.commit(offset: $0, length: $1) }
                },
                LuaMethod("uncommit", parameters: RegionBinding.rangeParameters, returns: "pagelab.Op",
                          summary: "fallocate(PUNCH_HOLE): frees the range, which leaves every view that maps it.") { memory, call in
                    try operate("uncommit", memory, call, session) { try memory.uncommit(offset: $0, length: $1) }
                },
                LuaMethod("allocated", returns: "integer", summary: "Bytes the file holds (fstat st_blocks).") { memory, call in
                    call.push(try mapErrors([:]) { try memory.allocatedBytes() })
                    return 1
                },
            ],
            properties: [
                LuaProperty("name", type: "string", summary: "The memfd's name.") { memory, call in call.push(memory.name) },
                LuaProperty("size", type: "integer", summary: "The file's size in bytes.") { memory, call in call.push(memory.size) },
                LuaProperty("committed", type: "integer", summary: "Bytes committed (allocated by commit).") { memory, call in call.push(memory.committedBytes) },
                LuaProperty("backend", type: "string", summary: "\"host\" or \"model\".") { memory, call in
                    call.push(memory.source == .measured ? "host" : "model")
                },
            ],
            describe: { memory in
                "shared memory '\(memory.name)' (\(ByteSize.format(memory.size)), \(ByteSize.format(memory.committedBytes)) committed"
                    + "\(memory.source == .simulated ? ", simulated" : ""))"
            },
            release: { memory in memory.close() })
    }

    /// `pl.shared` and `space:shared`: the size at `first`, the options after it.
    static func create(in space: AddressSpace, _ call: LuaCall, first: Int32, session: Session,
                       shared: LuaHandleType<SharedMemory>) throws -> Int32 {
        try session.guardDeclaration("shared")
        let size = try call.size(first)
        let options = try call.options(first + 1, allowed: ["name"])
        let name = try options?.string("name") ?? "pagelab-\(space.sharedMemories.count + 1)"
        let memory = try mapErrors(["size": first]) { try space.sharedMemory(name: name, size: size) }
        shared.push(memory, on: call)
        return 1
    }

    static let createParameters = ["size: integer|string", "options?: {name?: string}"]

    static func function(session: Session, shared: LuaHandleType<SharedMemory>) -> LuaFunction {
        LuaFunction(
            "shared", parameters: createParameters, returns: "pagelab.SharedMemory",
            summary: "A shared memory file (memfd_create, ftruncate) to commit once (fallocate) and map into regions with `region:map_view`."
        ) { call in
            try create(in: session.space, call, first: 1, session: session, shared: shared)
        }
    }

    /// `mem:commit([offset, length])` and `mem:uncommit(...)`: the whole memory by default.
    private static func operate(_ name: String, _ memory: SharedMemory, _ call: LuaCall, _ session: Session,
                                _ body: (Int, Int) throws -> OpResult) throws -> Int32 {
        try session.guardDeclaration(name)
        let offset = try call.optionalSize(2) ?? 0
        let length = try call.optionalSize(3) ?? max(0, memory.size - offset)
        Presentation.push(try mapErrors(["offset": 2, "length": 3]) { try body(offset, length) }, on: call)
        return 1
    }

    /// `region:map_view(mem, {offset=, length=, at=})`: `length` bytes of `mem` from `offset`
    /// mapped at region offset `at` (both 0 by default; the length as much as both allow).
    static func mapViewMethod(session: Session, shared: LuaHandleType<SharedMemory>) -> (Region, LuaCall) throws -> Int32 {
        { region, call in
            try session.guardDeclaration("map_view")
            let memory = try shared.object(call, 2)
            let options = try call.options(3, allowed: ["offset", "length", "at"])
            let memoryOffset = try options?.size("offset") ?? 0
            let at = try options?.size("at") ?? 0
            let length = try options?.size("length") ?? max(0, min(memory.size - memoryOffset, region.size - at))
            let result = try mapErrors(["offset": 3, "length": 3, "memory": 2]) {
                try region.mapView(of: memory, memoryOffset: memoryOffset, offset: at, length: length)
            }
            session.log("map_view", region: region, offset: at, length: length,
                        detail: "memfd:\(memory.name) at \(ByteSize.format(memoryOffset))", result: result)
            Presentation.push(result, on: call)
            return 1
        }
    }
}
