import LuaBridge
import PageCore

/// The `pagelab.tlb` module (`local tlb = require "pagelab.tlb"`): the simulated TLB hierarchy and
/// page walker (`TLBSimulator`, Golden Cove by default), and page walks of this process.
enum TLBModule {
    static let statsMetatable = "pagelab.tlbstats"

    static func register(in vm: LuaVM, session: Session, regions: LuaHandleType<Region>) {
        vm.registerMetatable(statsMetatable, fields: ["__tostring": { call in
            call.push(try call.value(1)["summary"]?.stringValue ?? "(TLB simulation)")
            return 1
        }])
        PageWalkTable.register(in: vm)
        vm.registerModule("pagelab.tlb", functions: functions(session: session, regions: regions))
    }

    static func functions(session: Session, regions: LuaHandleType<Region>) -> [LuaFunction] {
        [
            LuaFunction(
                "simulate",
                parameters: ["options: {region?: pagelab.Region, offset?: integer|string, length?: integer|string, extents?: table, page?: string, pattern?: string, accesses?: integer, warmup?: integer, stride?: integer|string, item?: integer|string, exponent?: number, seed?: integer, config?: table, levels?: integer}"],
                returns: "pagelab.TLBStats",
                summary: "Runs an access pattern (sequential, strided, random, zipf, chase) over a region's actual page sizes or over extents through the simulated L1 dTLB, STLB and page walker."
            ) { call in
                try session.guardDeclaration("simulate")
                guard call.isTable(1) else { throw call.typeError(1, expected: "table") }
                let options = try call.options(1, allowed: TLBOptions.allowed)!
                let (workload, config) = try TLBOptions.read(options, regions: regions)
                let stats = try mapErrors(TLBOptions.positions) { try TLBSimulator.simulate(workload, config: config) }
                push(stats, workload: workload, config: config, on: call)
                return 1
            },
            LuaFunction(
                "config", returns: "table",
                summary: "The default TLB (Intel Golden Cove) in the form `simulate{config = ...}` takes."
            ) { call in
                call.push(LuaValue(TLBConfigTable.json(.goldenCove)))
                return 1
            },
            LuaFunction(
                "reach", parameters: ["config?: table"], returns: "table",
                summary: "Bytes the L1 dTLB and the STLB map when full, per page size: entries × page size."
            ) { call in
                let config = call.isNoneOrNil(1) ? TLBConfig.goldenCove : try TLBConfigTable.config(try call.value(1), levels: 4)
                try mapErrors(TLBOptions.positions) { try config.validate() }
                call.push(LuaValue(reach(config)))
                return 1
            },
            LuaFunction(
                "split", parameters: ["address: integer", "levels?: integer"], returns: "pagelab.Walk",
                summary: "An address split into its PGD, (P4D,) PUD, PMD and PTE indexes and page offset, as the page walker reads it."
            ) { call in
                let address = UInt64(bitPattern: Int64(try call.integer(1)))
                let levels = call.isNoneOrNil(2) ? 4 : try call.integer(2)
                PageWalkTable.push(try mapErrors(["address": 1, "levels": 2]) {
                    try VirtualAddressIndexes(address: address, levels: levels)
                }, on: call)
                return 1
            },
            LuaFunction(
                "walk", parameters: ["address: integer"], returns: "pagelab.Walk",
                summary: "The page walk for an address of this process: indexes, and the leaf from pagemap and kpageflags."
            ) { call in
                try session.guardDeclaration("walk")
                let address = UInt64(bitPattern: Int64(try call.integer(1)))
                PageWalkTable.push(try mapErrors(["address": 1]) { try PageWalk.host(address: address) }, on: call)
                return 1
            },
        ]
    }

    /// Keys for page sizes as scripts write them: "4k", "2m", "1g".
    private static func key(_ size: TLBPageSize) -> String { size.name.lowercased() }

    static func reach(_ config: TLBConfig) -> JSON {
        .object([("l1", .object(TLBPageSize.allCases.map { (key($0), .int(config.firstLevelReach($0))) })),
                 ("stlb", .object(TLBPageSize.allCases.map { (key($0), .int(config.secondLevelReach($0))) }))])
    }

    private static func push(_ stats: TLBStats, workload: TLBWorkload, config: TLBConfig, on call: LuaCall) {
        let total = stats.total
        func rate(_ part: Int) -> JSON { .double(total.accesses == 0 ? 0 : Double(part) / Double(total.accesses)) }
        let caches = TLBConfigTable.walkCacheNames.compactMap { level, name in stats.walkCacheHits[level].map { (name, JSON.int($0)) } }
        let bySize = TLBPageSize.allCases.compactMap { size in
            stats.bySize[size].map { counts in
                (key(size), JSON.object([
                    ("accesses", .int(counts.accesses)), ("l1_hits", .int(counts.firstLevelHits)),
                    ("stlb_hits", .int(counts.secondLevelHits)), ("walks", .int(counts.walks)),
                    ("walk_refs", .int(counts.walkReferences)),
                ]))
            }
        }
        let footprint = workload.footprint
        let fields: [(String, JSON)] = [
            ("pattern", .string(workload.pattern.name)), ("accesses", .int(total.accesses)),
            ("l1_hits", .int(total.firstLevelHits)), ("l1_misses", .int(total.firstLevelMisses)),
            ("stlb_hits", .int(total.secondLevelHits)), ("walks", .int(total.walks)), ("misses", .int(total.walks)),
            ("walk_refs", .int(total.walkReferences)), ("refs_per_walk", .double(stats.referencesPerWalk)),
            ("l1_miss_rate", rate(total.firstLevelMisses)), ("miss_rate", rate(total.walks)),
            ("walk_cache_hits", .object(caches)), ("by_page", .object(bySize)),
            ("footprint", .int(footprint.bytes)),
            ("footprint_by_page", .object(TLBPageSize.allCases.compactMap { size in
                let bytes = footprint.bytes(in: size)
                return bytes > 0 ? (key(size), .int(bytes)) : nil
            })),
            ("reach", reach(config)), ("levels", .int(config.levels)),
            ("ns", .int(Int(stats.nanoseconds))),
            ("rate", .double(stats.nanoseconds == 0 ? 0 : Double(total.accesses) * 1e9 / Double(stats.nanoseconds))),
            ("summary", .string(summary(stats, workload: workload))),
        ]
        call.pushTable(capacity: Int32(fields.count)) { table in
            for (key, value) in fields { table.set(key, LuaValue(value)) }
            table.setMetatable(named: statsMetatable)
        }
    }

    /// "zipf over 1G (4K pages), 1000000 accesses: L1 hits 15.2%, STLB hits 19.1%, walks 65.7%,
    /// 1.93 entries read per walk"
    static func summary(_ stats: TLBStats, workload: TLBWorkload) -> String {
        let total = stats.total
        let sizes = TLBPageSize.allCases.filter { workload.footprint.bytes(in: $0) > 0 }.map(\.name).joined(separator: "+")
        func percent(_ part: Int) -> String {
            "\(rounded(total.accesses == 0 ? 0 : 100 * Double(part) / Double(total.accesses), places: 1))%"
        }
        return "\(workload.pattern.name) over \(ByteSize.format(workload.footprint.bytes)) (\(sizes) pages), \(total.accesses) accesses: "
            + "L1 hits \(percent(total.firstLevelHits)), STLB hits \(percent(total.secondLevelHits)), "
            + "walks \(percent(total.walks)), \(rounded(stats.referencesPerWalk, places: 2)) entries read per walk"
    }

    private static func rounded(_ value: Double, places: Int) -> Double {
        let scale = Double((0..<places).reduce(1) { product, _ in product * 10 })
        return (value * scale).rounded() / scale
    }
}
