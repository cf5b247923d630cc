import LuaBridge
import PageCore

/// `TLBConfig` as scripts write it, both ways (`tlb.config()` returns it, `config =` takes it):
///
///     { l1 = { { sizes = { "4k" }, entries = 96, ways = 6, indexing = "modulo" }, ... },
///       stlb = { { sizes = { "4k", "2m" }, entries = 2048, ways = 16, indexing = "xor" }, ... },
///       walk_caches = { pde = { entries = 32, ways = 4 }, pdpte = 4, pml4e = 2, pml5e = 2 } }
///
/// A walk cache given as a number is fully associative. Each part replaces the default's whole
/// part; parts left out keep the default (`walk_caches = {}` removes the caches).
enum TLBConfigTable {
    static let walkCacheNames = [(2, "pde"), (3, "pdpte"), (4, "pml4e"), (5, "pml5e")]

    static func json(_ config: TLBConfig) -> JSON {
        func array(_ array: TLBArrayConfig) -> JSON {
            .object([("sizes", .array(array.sizes.map { .string($0.name.lowercased()) })),
                     ("entries", .int(array.geometry.entries)), ("ways", .int(array.geometry.ways)),
                     ("indexing", .string(array.geometry.indexing.rawValue))])
        }
        let caches = walkCacheNames.compactMap { level, name in
            config.walkCaches[level].map { (name, JSON.object([("entries", .int($0.entries)), ("ways", .int($0.ways))])) }
        }
        return .object([("l1", .array(config.firstLevel.map(array))), ("stlb", .array(config.secondLevel.map(array))),
                        ("walk_caches", .object(caches))])
    }

    /// The default with the parts `value` gives; errors say which entry is wrong.
    static func config(_ value: LuaValue, levels: Int) throws -> TLBConfig {
        var config = TLBConfig.goldenCove
        config.levels = levels
        guard case .table(let array, let record) = value, array.isEmpty else { throw invalid("a table { l1 =, stlb =, walk_caches = } expected") }
        for key in record.keys where !["l1", "stlb", "walk_caches"].contains(key) {
            throw invalid("unknown key '\(key)' (valid: l1, stlb, walk_caches)")
        }
        if let l1 = record["l1"] { config.firstLevel = try arrays(l1, "l1") }
        if let stlb = record["stlb"] { config.secondLevel = try arrays(stlb, "stlb") }
        if let caches = record["walk_caches"] {
            guard case .table(let list, let named) = caches, list.isEmpty else { throw invalid("walk_caches: a table { pde =, pdpte =, pml4e =, pml5e = } expected") }
            config.walkCaches = [:]
            for (key, cache) in named {
                guard let level = walkCacheNames.first(where: { $0.1 == key })?.0 else {
                    throw invalid("walk_caches: unknown cache '\(key)' (valid: pde, pdpte, pml4e, pml5e)")
                }
                if let entries = cache.integerValue {
                    config.walkCaches[level] = .fullyAssociative(entries)
                } else {
                    config.walkCaches[level] = try geometry(cache, "walk_caches.\(key)", allowing: ["entries", "ways"])
                }
            }
        }
        return config
    }

    private static func arrays(_ value: LuaValue, _ part: String) throws -> [TLBArrayConfig] {
        guard case .table(let list, let record) = value, record.isEmpty else { throw invalid("\(part): a list of arrays expected") }
        return try list.enumerated().map { index, entry in
            let what = "\(part)[\(index + 1)]"
            guard case .table(let names, _) = entry["sizes"] ?? .nil, !names.isEmpty else {
                throw invalid("\(what): sizes = { \"4k\", ... } expected")
            }
            let sizes = try names.map { name in
                guard let text = name.stringValue, let size = TLBOptions.pageSize(text) else {
                    throw invalid("\(what): \(name.stringValue ?? "a non-string") is not a page size (expected 4k, 2m or 1g)")
                }
                return size
            }
            return TLBArrayConfig(sizes, try geometry(entry, what, allowing: ["sizes", "entries", "ways", "indexing"]))
        }
    }

    private static func geometry(_ value: LuaValue, _ what: String, allowing keys: [String]) throws -> TLBGeometry {
        guard case .table(_, let record) = value else { throw invalid("\(what): a table expected") }
        for key in record.keys where !keys.contains(key) {
            throw invalid("\(what): unknown key '\(key)' (valid: \(keys.joined(separator: ", ")))")
        }
        guard let entries = record["entries"]?.integerValue else { throw invalid("\(what): entries = <integer> expected") }
        var ways = entries
        if let value = record["ways"] {
            guard let number = value.integerValue else { throw invalid("\(what): ways must be an integer") }
            ways = number
        }
        var indexing = SetIndexing.modulo
        if let name = record["indexing"] {
            guard let text = name.stringValue, let chosen = SetIndexing(rawValue: text) else {
                throw invalid("\(what): indexing must be one of: \(SetIndexing.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            indexing = chosen
        }
        return TLBGeometry(entries: entries, ways: ways, indexing: indexing)
    }

    private static func invalid(_ message: String) -> LuaArgumentError {
        LuaArgumentError(position: 1, message: "option 'config': \(message)")
    }
}
