import LuaBridge
import PageSafepoint

/// Safepoint results as Lua tables (plain fields, in ns and units per second), with a
/// `__tostring` that shows a storm for people: percentiles, throughput, and a histogram picture.
enum StormPresentation {
    static let stormMetatable = "pagelab.storm"

    static func register(in vm: LuaVM) {
        vm.registerMetatable(stormMetatable, fields: ["__tostring": { call in
            call.push(text(try call.value(1)))
            return 1
        }])
    }

    static func push(_ result: StormResult, on call: LuaCall) {
        guard case .table(_, let fields) = value(result) else { return }
        call.pushTable(capacity: Int32(fields.count)) { table in
            for (key, field) in fields { table.set(key, field) }
            table.setMetatable(named: stormMetatable)
        }
    }

    static func value(_ result: StormResult) -> LuaValue {
        let options = result.options
        var fields: [String: LuaValue] = [
            "mechanism": .string(options.mutators.mechanism.rawValue),
            "work": .string(options.mutators.work.rawValue),
            "threads": .integer(options.mutators.threads),
            "natives": .integer(options.mutators.nativeThreads),
            "ordering": .string(options.mutators.ordering.rawValue),
            "wait": .string(options.mutators.wait.rawValue),
            "straggler": .integer(options.mutators.stragglerUnits),
            "rate": .number(options.rate),
            "operation_ns": .integer(Int(options.operationNanoseconds)),
            "duration_ns": .integer(Int(result.stormNanoseconds)),
            "safepoints": .integer(result.safepoints),
            "ttsp": value(result.ttsp),
            "thread_ttsp": value(result.threadTTSP),
            "reaching": value(result.reaching),
            "at_safepoint": value(result.atSafepoint),
            "total": value(result.total),
            "ordering_ns": value(result.ordering),
            "throughput": record(["with": .number(result.throughputWith), "without": result.throughputWithout.map(LuaValue.number) ?? .nil]),
            "traps": .integer(Int(result.pollTraps)),
            "serialize_traps": .integer(Int(result.serializeTraps)),
            "transitions": .integer(Int(result.transitions)),
            "spurious_polls": .integer(Int(result.spuriousPolls)),
            "violations": .integer(result.violations),
            "per_thread": .table(array: result.threads.map { thread in
                record([
                    "index": .integer(thread.index), "role": .string(thread.role.rawValue),
                    "safepoints": .integer(thread.safepoints), "waited_for": .integer(thread.waitedFor),
                    "units": .integer(Int(thread.units)), "ttsp": value(thread.ttsp),
                ])
            }, record: [:]),
            "histogram": .table(array: result.ttspBuckets.map { record(["up_to": .integer(Int($0.upTo)), "count": .integer(Int($0.count))]) }, record: [:]),
            "pages": record([
                "global": .integer(Int(bitPattern: result.pages.global)), "good": .integer(Int(bitPattern: result.pages.good)),
                "bad": .integer(Int(bitPattern: result.pages.bad)), "serialize": .integer(Int(bitPattern: result.pages.serialize)),
            ]),
        ]
        if let loss = result.throughputLoss { fields["throughput_loss"] = .number(loss) }
        if options.logFormat != nil { fields["log"] = .table(array: result.log.map(LuaValue.string), record: [:]) }
        return record(fields)
    }

    static func value(_ percentiles: Percentiles) -> LuaValue {
        record([
            "count": .integer(percentiles.count), "p50": .integer(Int(percentiles.p50)), "p90": .integer(Int(percentiles.p90)),
            "p99": .integer(Int(percentiles.p99)), "p999": .integer(Int(percentiles.p999)), "max": .integer(Int(percentiles.max)),
            "mean": .number(percentiles.mean),
        ])
    }

    static func value(_ run: JavaSafepoints.Run) -> LuaValue {
        record([
            "version": .string(run.version), "command": .string(run.command.joined(separator: " ")),
            "safepoints": .integer(run.entries.count), "reaching": value(run.reaching), "total": value(run.total),
            "lines": .table(array: run.lines.map(LuaValue.string), record: [:]),
        ])
    }

    static func value(_ entry: SafepointLogEntry) -> LuaValue {
        var fields: [String: LuaValue] = [
            "uptime_ns": .integer(Int(entry.uptimeNanoseconds)), "operation": .string(entry.operation),
            "since_last": .integer(Int(entry.sinceLast)), "reaching": .integer(Int(entry.reaching)),
            "at_safepoint": .integer(Int(entry.atSafepoint)), "total": .integer(Int(entry.total)),
            "format": .string(entry.format.rawValue),
        ]
        fields["cleanup"] = entry.cleanup.map { .integer(Int($0)) }
        fields["leaving"] = entry.leaving.map { .integer(Int($0)) }
        fields["runnable"] = entry.runnable.map { .integer($0) }
        fields["threads"] = entry.threads.map { .integer($0) }
        return record(fields)
    }

    private static func record(_ fields: [String: LuaValue]) -> LuaValue {
        .table(array: [], record: fields.filter { $0.value != .nil })
    }

    // MARK: Text

    /// A storm for people, read back from its table.
    static func text(_ storm: LuaValue) -> String {
        func integer(_ value: LuaValue?) -> Int { value?.integerValue ?? 0 }
        func number(_ value: LuaValue?) -> Double? {
            switch value {
            case .integer(let number)?: Double(number)
            case .number(let number)?: number
            default: nil
            }
        }
        let safepoints = integer(storm["safepoints"]), seconds = Double(integer(storm["duration_ns"])) / 1e9
        let rate = number(storm["rate"]) ?? 0
        var lines = [
            "\(storm["mechanism"]?.stringValue ?? "?"), \(integer(storm["threads"])) threads"
                + (integer(storm["natives"]) > 0 ? " + \(integer(storm["natives"])) native (\(storm["ordering"]?.stringValue ?? "?"))" : "")
                + (integer(storm["straggler"]) > 0 ? " + a straggler of \(integer(storm["straggler"])) units" : "")
                + (storm["wait"]?.stringValue == CoordinatorWait.backoff.rawValue ? ", HotSpot back-off" : "")
                + ", \(storm["work"]?.stringValue ?? "?"): \(safepoints) safepoints in \(Presentation.formatDuration(integer(storm["duration_ns"])))"
                + (rate > 0 ? " at \(Int(rate))/s" : " back to back")
                + (seconds > 0 ? " (\(Int((Double(safepoints) / seconds).rounded()))/s)" : ""),
            row("time to safepoint", storm["ttsp"]),
            row("  per thread", storm["thread_ttsp"]),
            row("reaching (logged)", storm["reaching"]),
            row("at safepoint", storm["at_safepoint"]),
            row("total", storm["total"]),
        ]
        if let with = number(storm["throughput"]?["with"]) {
            var line = "throughput \(units(with))/s with safepoints"
            if let without = number(storm["throughput"]?["without"]) { line += ", \(units(without))/s without" }
            if let loss = number(storm["throughput_loss"]) { line += ": \(String(format1: loss * 100))% lost" }
            lines.append(line)
        }
        lines.append("traps \(integer(storm["traps"])), serialize-page traps \(integer(storm["serialize_traps"])), "
                     + "transitions \(integer(storm["transitions"])), violations \(integer(storm["violations"]))")
        if case .table(let buckets, _)? = storm["histogram"] {
            lines.append(contentsOf: picture(buckets.map { (integer($0["up_to"]), integer($0["count"])) }))
        }
        return lines.joined(separator: "\n")
    }

    private static func row(_ title: String, _ value: LuaValue?) -> String {
        let fields = [("p50", "p50"), ("p90", "p90"), ("p99", "p99"), ("p99.9", "p999"), ("max", "max")]
        let cells = fields.map { "\($0.0) \(Presentation.formatDuration(value?[$0.1]?.integerValue ?? 0))" }
        return title.padding(toLength: 20) + cells.joined(separator: "  ")
    }

    /// Bars of the TTSP histogram, the longest 40 characters, empty buckets at either end left out.
    static func picture(_ buckets: [(upTo: Int, count: Int)]) -> [String] {
        guard let first = buckets.firstIndex(where: { $0.count > 0 }),
              let last = buckets.lastIndex(where: { $0.count > 0 }) else { return [] }
        let shown = buckets[first...last]
        let largest = shown.map(\.count).max() ?? 1
        return ["time to safepoint histogram:"] + shown.map { bucket in
            let bar = String(repeating: "█", count: bucket.count == 0 ? 0 : max(1, bucket.count * 40 / largest))
            return "  ≤ " + Presentation.formatDuration(bucket.upTo).padding(toLength: 9) + " " + bar + " \(bucket.count)"
        }
    }

    /// Work units per second in G, M or k.
    static func units(_ perSecond: Double) -> String {
        switch perSecond {
        case 1e9...: "\(String(format1: perSecond / 1e9))G units"
        case 1e6...: "\(String(format1: perSecond / 1e6))M units"
        default: "\(String(format1: perSecond / 1e3))k units"
        }
    }
}

private extension String {
    /// One decimal.
    init(format1 value: Double) {
        let tenths = (value * 10).rounded()
        self = tenths.isFinite ? String(Double(tenths) / 10) : "-"
    }

    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
