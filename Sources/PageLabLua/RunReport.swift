import LuaBridge
import PageCore

/// The one JSON document `--json` writes: a manifest (what ran, where, with which parameters),
/// every region's final statistics, the log of operations, the snapshots, the results the script
/// recorded and the charts it drew.
public enum RunReport {
    public static func json(
        scenario: String, parameters: [(name: String, value: LuaValue)], session: Session, host: HostInfo,
        status: String
    ) -> JSON {
        .object([
            ("manifest", .object([
                ("pagelab_version", .string(HostManifest.pagelabVersion)),
                ("scenario", .string(scenario)),
                ("backend", .string(session.space.kind.name)),
                ("measured", .bool(session.space.source == .measured)),
                ("status", .string(status)),
                ("budget", .int(session.space.budget.limit)),
                ("host", HostManifest.json(host)),
            ] + (session.space.machine == nil ? [] : [("machine", HostManifest.json(of: session.space))]) + [
                ("parameters", .object(parameters.map { ($0.name, JSON($0.value)) })),
            ])),
            ("regions", .array(session.finalRegionReports().map(region))),
            ("operations", .array(session.operations.map(operation))),
            ("snapshots", .array(session.snapshots.map { snapshot in
                .object([
                    ("name", .string(snapshot.name)),
                    ("regions", .array(snapshot.regions.map(region))),
                    ("process", process(snapshot.process)),
                ])
            })),
            ("process", process(session.space.processStats())),
            ("results", .object(session.results.map { ($0.name, JSON($0.value)) })),
            ("charts", .array(session.charts.map(\.json))),
        ])
    }

    /// The byte figures of each region in the document, in report order.
    public static var regionFigureNames: [String] { Presentation.statsFields.map(\.name) }

    static func region(_ report: RegionReport) -> JSON {
        .object([("name", .string(report.name)), ("base", .int(Int(bitPattern: report.base)))]
            + Presentation.statsFields.map { ($0.name, JSON.int(report.stats[keyPath: $0.value])) }
            + [("nodes", .object(report.stats.nodes.sorted { $0.key < $1.key }.map { (String($0.key), .int($0.value)) })),
               ("source", .string(report.stats.source.rawValue))]
            + (report.stats.pageTables.map { pages in
                [("page_tables", JSON.object([("p4d", .int(pages.p4d)), ("pud", .int(pages.pud)), ("pmd", .int(pages.pmd)), ("pte", .int(pages.pte))]))]
            } ?? []))
    }

    static func operation(_ record: OperationRecord) -> JSON {
        var fields: [(String, JSON)] = [("op", .string(record.operation)), ("region", .string(record.region))]
        if let offset = record.offset { fields.append(("offset", .int(offset))) }
        if let length = record.length { fields.append(("length", .int(length))) }
        if let detail = record.detail { fields.append(("detail", .string(detail))) }
        fields += [
            ("at_ns", .int(Int(record.atNanoseconds))), ("ns", .int(Int(record.result.ns))),
            ("minflt", .int(record.result.minflt)), ("majflt", .int(record.result.majflt)),
        ]
        return .object(fields)
    }

    static func process(_ stats: ProcessStats) -> JSON {
        var fields: [(String, JSON)] = [
            ("rss", .int(stats.rss)), ("rss_shmem", .int(stats.rssShmem)), ("vm_size", .int(stats.vmSize)), ("vm_pte", .int(stats.vmPTE)),
            ("vm_swap", .int(stats.vmSwap)), ("hugetlb", .int(stats.hugetlb)),
            ("minflt", .int(stats.minflt)), ("majflt", .int(stats.majflt)), ("source", .string(stats.source.rawValue)),
        ]
        if let pss = stats.pss { fields.insert(("pss", .int(pss)), at: 2) }
        return .object(fields)
    }

    /// Whether `process({pss = true})` asked for Pss, the options at `position`.
    static func wantsPss(_ call: LuaCall, _ position: Int32) throws -> Bool {
        try call.options(position, allowed: ["pss"])?.boolean("pss") ?? false
    }
}
