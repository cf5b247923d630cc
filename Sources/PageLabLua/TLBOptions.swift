import LuaBridge
import PageCore

/// The options table of `tlb.simulate{...}`: what runs over which memory on which TLB.
enum TLBOptions {
    static let allowed = ["region", "offset", "length", "extents", "page", "pattern", "accesses", "warmup",
                          "stride", "item", "exponent", "seed", "config", "levels"]
    static let patterns = ["sequential", "strided", "random", "zipf", "chase"]
    /// Where extents without `at` start: 1 GiB-aligned, in the range where Linux puts mappings.
    static let extentBase: UInt64 = 0x7f00_0000_0000

    /// PageCore's parameter names, all of them in the table at argument 1.
    static let positions: [String: Int32] = Dictionary(
        uniqueKeysWithValues: ["extents", "accesses", "warmup", "stride", "item", "exponent", "config", "levels", "offset", "length", "size"].map { ($0, 1) })

    static func read(_ options: LuaOptions, regions: LuaHandleType<Region>) throws -> (TLBWorkload, TLBConfig) {
        let levels = try options.integer("levels") ?? 4
        let config = try options.table("config").map { try TLBConfigTable.config($0, levels: levels) }
            ?? { var config = TLBConfig.goldenCove; config.levels = levels; return config }()
        let page = try options.integerOrString("page", expected: "page size") { value in
            let text = switch value {
            case .integer(let bytes): String(bytes)
            case .string(let text): text
            }
            guard let size = pageSize(text) else {
                throw LuaArgumentError(position: 1, message: "option 'page': \(text) is not a page size (expected 4k, 2m or 1g)")
            }
            return size
        }
        let footprint = try self.footprint(options, page: page, regions: regions)
        let name = try options.string("pattern") ?? "sequential"
        let pattern: AccessPattern
        switch name {
        case "sequential": pattern = .sequential(stride: try options.size("stride") ?? 64)
        case "strided": pattern = .sequential(stride: try options.size("stride") ?? 4096)
        case "random": pattern = .uniformRandom(item: try options.size("item") ?? 64)
        case "zipf": pattern = .zipf(item: try options.size("item") ?? 64, exponent: try options.number("exponent") ?? 0.99)
        case "chase": pattern = .pointerChase(item: try options.size("item") ?? 64)
        default:
            throw LuaArgumentError(position: 1, message: "option 'pattern': unknown pattern '\(name)' (expected one of: \(patterns.joined(separator: ", ")))")
        }
        let seed = try options.integer("seed") ?? 1
        let workload = TLBWorkload(footprint: footprint, pattern: pattern, accesses: try options.integer("accesses") ?? 1_000_000,
                                   warmup: try options.integer("warmup") ?? 0, seed: UInt64(bitPattern: Int64(seed)))
        return (workload, config)
    }

    /// "4k", "2M", "1g" or their byte counts.
    static func pageSize(_ text: String) -> TLBPageSize? {
        (try? ByteSize.parse(text)).flatMap { TLBPageSize(bytes: $0) }
    }

    /// `region =` (with `offset =`, `length =`) or `extents =`; `page =` maps all of it with one
    /// page size instead of the sizes it has.
    private static func footprint(_ options: LuaOptions, page: TLBPageSize?, regions: LuaHandleType<Region>) throws -> TLBFootprint {
        let region = try options.object("region", of: regions)
        let extents = try options.table("extents")
        switch (region, extents) {
        case (let region?, nil):
            let offset = try options.size("offset"), length = try options.size("length")
            let actual = try mapErrors(positions) { try region.tlbFootprint(offset: offset, length: length) }
            guard let page else { return actual }
            let start = actual.extents[0].address
            let covered = Int(actual.end - start) / page.bytes * page.bytes
            guard covered > 0 else {
                throw LuaArgumentError(position: 1, message: "option 'page': the range (\(ByteSize.format(actual.bytes))) is smaller than one \(page.name) page")
            }
            return try mapErrors(positions) { try TLBFootprint.laidOut([(length: covered, pageSize: page)], from: start) }
        case (nil, let extents?):
            return try footprint(extents: extents, page: page)
        default:
            throw LuaArgumentError(position: 1, message: "give either region = <region> or extents = { { size =, page = }, ... }")
        }
    }

    private static func footprint(extents value: LuaValue, page: TLBPageSize?) throws -> TLBFootprint {
        guard case .table(let list, let record) = value, record.isEmpty, !list.isEmpty else {
            throw LuaArgumentError(position: 1, message: "option 'extents': a list { { size = \"1g\", page = \"2m\", at = <address> }, ... } expected")
        }
        var extents: [TLBExtent] = []
        var next = extentBase
        for (index, entry) in list.enumerated() {
            func invalid(_ message: String) -> LuaArgumentError {
                LuaArgumentError(position: 1, message: "option 'extents': extent #\(index + 1): \(message)")
            }
            guard case .table(_, let fields) = entry else { throw invalid("a table { size =, page =, at = } expected") }
            for key in fields.keys where !["size", "page", "at"].contains(key) {
                throw invalid("unknown key '\(key)' (valid: size, page, at)")
            }
            let length: Int
            switch fields["size"] {
            case .integer(let bytes)?: length = bytes
            case .string(let text)?: length = try mapErrors(positions) { try ByteSize.parse(text) }
            default: throw invalid("size = <size> expected")
            }
            var size = page ?? .size4K
            if page == nil, let name = fields["page"] {
                let text = name.stringValue ?? name.integerValue.map(String.init)
                guard let text, let chosen = pageSize(text) else {
                    throw invalid("page \(text ?? "of another type") is not a page size (expected 4k, 2m or 1g)")
                }
                size = chosen
            }
            var address = (next + UInt64(size.bytes) - 1) / UInt64(size.bytes) * UInt64(size.bytes)
            if let at = fields["at"] {
                guard let value = at.integerValue else { throw invalid("at = <address> expected") }
                address = UInt64(bitPattern: Int64(value))
            }
            extents.append(TLBExtent(address: address, length: length, pageSize: size))
            next = address &+ UInt64(max(0, length))
        }
        return try mapErrors(positions) { try TLBFootprint(extents) }
    }
}
