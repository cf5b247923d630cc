import LuaBridge
import PageCore

/// Page walks and address splits as Lua tables: the indexes by level name, what pagemap and
/// kpageflags say about the leaf, and a `summary` line that `tostring` shows.
enum PageWalkTable {
    static let metatable = "pagelab.walk"

    static func register(in vm: LuaVM) {
        vm.registerMetatable(metatable, fields: ["__tostring": { call in
            call.push(try call.value(1)["summary"]?.stringValue ?? "(page walk)")
            return 1
        }])
    }

    /// `r:walk(offset)`.
    static func method(_ region: Region, _ call: LuaCall) throws -> Int32 {
        let offset = try call.size(2)
        push(try mapErrors(["offset": 2]) { try region.walk(offset: offset) }, on: call)
        return 1
    }

    static func push(_ split: VirtualAddressIndexes, on call: LuaCall) {
        push(fields(split) + [("summary", .string(describe(split)))], on: call)
    }

    static func push(_ walk: PageWalk, on call: LuaCall) {
        var fields = fields(walk.indexes)
        fields += [
            ("present", .bool(walk.present)), ("swapped", .bool(walk.swapped)),
            ("leaf", walk.leaf.map(JSON.string) ?? .null),
            ("page_size", walk.pageSize.map { .string($0.name.lowercased()) } ?? .null),
            ("page_offset", walk.pageSize.map { .int(walk.indexes.offset(in: $0)) } ?? .null),
            ("pfn", walk.frame.map { .int(Int($0)) } ?? .null),
            ("physical", walk.physicalAddress.map { .int(Int($0)) } ?? .null),
            ("zero_page", .bool(walk.zeroPage)), ("exclusive", .bool(walk.exclusive)),
            ("soft_dirty", .bool(walk.softDirty)), ("file_or_shared", .bool(walk.fileOrShared)),
            ("uffd_wp", .bool(walk.userfaultWriteProtected)), ("guard", .bool(walk.guardPage)),
            ("flags", .array(walk.frameFlagNames.map(JSON.string))),
            ("entry", .int(Int(bitPattern: UInt(walk.entry)))),
        ]
        fields.append(("summary", .string(describe(walk.indexes) + "\n  " + describeLeaf(walk))))
        push(fields, on: call)
    }

    private static func fields(_ split: VirtualAddressIndexes) -> [(String, JSON)] {
        [("address", .int(Int(bitPattern: UInt(split.address)))), ("levels", .int(split.levels)),
         ("indexes", .array(split.indexes.map(JSON.int)))]
            + zip(split.names, split.indexes).map { ($0, JSON.int($1)) }
            + [("offset", .int(split.offset))]
    }

    private static func push(_ fields: [(String, JSON)], on call: LuaCall) {
        call.pushTable(capacity: Int32(fields.count)) { table in
            for (key, value) in fields { table.set(key, LuaValue(value)) }
            table.setMetatable(named: metatable)
        }
    }

    /// "0x600000000: PGD 0 → PUD 24 → PMD 0 → PTE 0, offset 0x0 (4-level paging)"
    static func describe(_ split: VirtualAddressIndexes) -> String {
        let path = zip(split.names, split.indexes).map { "\($0.uppercased()) \($1)" }.joined(separator: " → ")
        return "0x\(String(split.address, radix: 16)): \(path), offset 0x\(String(split.offset, radix: 16)) (\(split.levels)-level paging)"
    }

    private static func describeLeaf(_ walk: PageWalk) -> String {
        guard walk.present else {
            return walk.swapped ? "swapped out" : "not present: never touched, or dropped (no PTE maps it)"
        }
        var parts = ["\(walk.leaf?.uppercased() ?? "PTE") maps a \(walk.pageSize?.name ?? "4K") page"]
        if let frame = walk.frame, let physical = walk.physicalAddress {
            parts.append("PFN 0x\(String(frame, radix: 16)), physical 0x\(String(physical, radix: 16))")
        } else {
            parts.append("frame hidden (pagemap needs CAP_SYS_ADMIN)")
        }
        if walk.zeroPage { parts.append("the shared zero page") }
        if walk.exclusive { parts.append("exclusive") }
        let flags = walk.frameFlagNames
        return parts.joined(separator: ", ") + (flags.isEmpty ? "" : "; flags " + flags.joined(separator: " "))
    }
}
