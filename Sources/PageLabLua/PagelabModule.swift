import LuaBridge
import PageCore

/// The `pagelab` module (`local pl = require "pagelab"`). Its table of functions is also what
/// `pagelab meta` documents, so each entry says its parameters and result.
enum PagelabModule {
    static func functions(session: Session, regions: LuaHandleType<Region>, spaces: LuaHandleType<AddressSpace>) -> [LuaFunction] {
        [
            LuaFunction(
                "reserve", parameters: reserveParameters,
                returns: "pagelab.Region",
                summary: "Reserves address space: PROT_NONE, MAP_NORESERVE; `at` uses MAP_FIXED_NOREPLACE, `align` over-reserves and trims; `hugetlb` maps pool pages of that size."
            ) { call in
                try reserve(in: session.space, call, first: 1, session: session, regions: regions)
            },
            LuaFunction(
                "space", parameters: ["options?: {backend?: string, numa?: string|table, thp?: string, hugetlb?: table, levels?: integer}"],
                returns: "pagelab.Space",
                summary: "Another address space beside the scenario's, with the same methods: by default the model backend on a simulated machine (numa preset or {nodes, memory, distance, cpus})."
            ) { call in
                try session.guardDeclaration("space")
                let spec = call.isNoneOrNil(1) ? LuaValue.table(array: [], record: [:]) : try call.value(1)
                let space = AddressSpace(budget: session.space.budget, backend: try MachineSpec.backend(spec, position: 1))
                session.adopt(space)
                spaces.push(space, on: call)
                return 1
            },
            LuaFunction(
                "snapshot", parameters: ["name: string"], returns: "pagelab.Snapshot",
                summary: "Statistics of every live region and of the process, kept under `name` for `diff`."
            ) { call in
                let snapshot = try mapErrors([:]) { try session.snapshot(try call.string(1)) }
                push(snapshot, on: call)
                return 1
            },
            LuaFunction(
                "diff", parameters: ["from: string", "to: string"], returns: "pagelab.Diff",
                summary: "Per-region and process deltas between two snapshots, NMT style."
            ) { call in
                let from = try call.string(1), to = try call.string(2)
                guard let a = session.snapshot(named: from) else {
                    throw LuaArgumentError(position: 1, message: "no snapshot named '\(from)'")
                }
                guard let b = session.snapshot(named: to) else {
                    throw LuaArgumentError(position: 2, message: "no snapshot named '\(to)'")
                }
                pushDiff(from: a, to: b, on: call)
                return 1
            },
            LuaFunction(
                "record", parameters: ["name: string", "value: any"],
                summary: "Keeps a result under `name`; `--json` writes it under `results`."
            ) { call in
                session.record(try call.string(1), try call.value(2))
                return 0
            },
            LuaFunction(
                "chart",
                parameters: ["chart: {kind: \"histogram\"|\"curve\"|\"bars\", title: string, x: string|{label: string, unit?: \"number\"|\"bytes\"|\"ns\"|\"percent\", log?: boolean}, y: string|{label: string, unit?: string, log?: boolean}, stacked?: boolean, series: {name: string, points: any[][]}[]}"],
                summary: "Keeps a chart (histogram, curve or bars) of the scenario's results; `--json` writes it under `charts`, `--html` draws it."
            ) { call in
                do {
                    session.chart(try Chart(try call.value(1)))
                } catch let error as ChartError {
                    throw LuaArgumentError(position: 1, message: error.message)
                }
                return 0
            },
            LuaFunction(
                "process", parameters: ["options?: {pss?: boolean}"], returns: "pagelab.Process",
                summary: "This process (the simulated one on the model): rss, rss_shmem, vm_size, vm_pte, vm_swap, hugetlb (bytes) and minflt, majflt; `pss` too with {pss = true} (a walk of every page table)."
            ) { call in
                call.push(LuaValue(RunReport.process(session.space.processStats(proportional: try RunReport.wantsPss(call, 1)))))
                return 1
            },
            LuaFunction(
                "host", returns: "pagelab.Host",
                summary: "The host as HotSpot would detect it (the simulated machine on the model): page sizes, THP mode, hugetlb pools, NUMA nodes, RAM."
            ) { call in
                call.push(LuaValue(HostManifest.json(of: session.space)))
                return 1
            },
            LuaFunction("now", returns: "integer", summary: "CLOCK_MONOTONIC in nanoseconds, for timing steps of a scenario.") { call in
                call.push(Int(Clock.nanoseconds))
                return 1
            },
            LuaFunction("page_size", returns: "integer", summary: "The base page size in bytes.") { call in
                call.push(HostInfo.pageSize)
                return 1
            },
            LuaFunction(
                "size", parameters: ["size: integer|string"], returns: "integer",
                summary: "A size in bytes: `pl.size(\"2m\")` is 2097152."
            ) { call in
                call.push(try call.size(1))
                return 1
            },
            LuaFunction(
                "format", parameters: ["bytes: integer"], returns: "string",
                summary: "Bytes in human units, as reports print them: `pl.format(3 * 2^20)` is \"3M\"."
            ) { call in
                call.push(ByteSize.format(try call.integer(1)))
                return 1
            },
            LuaFunction(
                "report", returns: "string",
                summary: "A table of every live region: address, size, committed, resident, zero, huge, locked; numa_maps lines and numastat on a NUMA machine."
            ) { call in
                call.push(try report(session.space, regions: session.liveRegions))
                return 1
            },
        ]
    }

    static let reserveParameters = [
        "size: integer|string", "options?: {name?: string, at?: integer, align?: integer|string, exec?: boolean, hugetlb?: integer|string}",
    ]

    /// `pl.reserve` and `space:reserve`: the size at `first`, the options after it.
    static func reserve(in space: AddressSpace, _ call: LuaCall, first: Int32, session: Session,
                        regions: LuaHandleType<Region>) throws -> Int32 {
        try session.guardDeclaration("reserve")
        let size = try call.size(first)
        let options = try call.options(first + 1, allowed: ["name", "at", "align", "exec", "hugetlb"])
        let name = try options?.string("name")
        if let name, space.regions.contains(where: { $0.name == name }) {
            throw LuaArgumentError(position: first + 1, message: "a region named '\(name)' already exists")
        }
        let reserve = ReserveOptions(
            name: name, at: try options?.integer("at").map { UInt(bitPattern: $0) },
            align: try options?.size("align"), exec: try options?.boolean("exec") ?? false,
            hugePageSize: try options?.size("hugetlb"))
        let region = try mapErrors(["size": first, "at": first + 1, "align": first + 1, "name": first + 1, "hugetlb": first + 1]) {
            try space.reserve(size: size, options: reserve)
        }
        regions.push(region, on: call)
        return 1
    }

    /// The region table of `regions`, and on a machine of several nodes their numa_maps lines
    /// and the space's numastat.
    static func report(_ space: AddressSpace, regions: [Region]) throws -> String {
        try mapErrors([:]) {
            var text = RegionTable.render(try regions.map { RegionReport(region: $0, stats: try $0.stats()) })
            if space.topology.nodes.count > 1, !regions.isEmpty {
                text += "\n\nnuma_maps\n" + (try NUMAReport.numaMaps(regions)) + "\n\nnumastat\n" + (try NUMAReport.numastat(space))
            }
            return text
        }
    }

    static func push(_ snapshot: Snapshot, on call: LuaCall) {
        call.pushTable(capacity: 3) { table in
            table.set("name", snapshot.name)
            table.table("regions", capacity: Int32(snapshot.regions.count)) { regions in
                for report in snapshot.regions {
                    regions.table(report.name, capacity: 8) { stats in
                        Presentation.fill(stats, report.stats)
                        stats.setMetatable(named: Presentation.statsMetatable)
                    }
                }
            }
            table.set("process", LuaValue(RunReport.process(snapshot.process)))
        }
    }

    static func pushDiff(from a: Snapshot, to b: Snapshot, on call: LuaCall) {
        let names = a.regions.map(\.name) + b.regions.map(\.name).filter { name in !a.regions.contains { $0.name == name } }
        call.pushTable(capacity: 2) { table in
            table.table("regions", capacity: Int32(names.count)) { regions in
                for name in names {
                    let before = a.regions.first { $0.name == name }?.stats
                    let after = b.regions.first { $0.name == name }?.stats
                    regions.table(name, capacity: 7) { delta in
                        for field in Presentation.statsFields {
                            delta.set(field.name, (after?[keyPath: field.value] ?? 0) - (before?[keyPath: field.value] ?? 0))
                        }
                    }
                }
            }
            table.table("process", capacity: 4) { process in
                process.set("rss", b.process.rss - a.process.rss)
                process.set("vm_pte", b.process.vmPTE - a.process.vmPTE)
                process.set("minflt", b.process.minflt - a.process.minflt)
                process.set("majflt", b.process.majflt - a.process.majflt)
            }
            table.setMetatable(named: Presentation.diffMetatable)
        }
    }
}
