import LuaBridge
import PageCore

/// Everything one scenario run (or one REPL) accumulates besides its Lua state: its address space,
/// the log of operations, named snapshots and the results the script recorded.
public final class Session {
    public let space: AddressSpace
    public private(set) var operations: [OperationRecord] = []
    public private(set) var snapshots: [Snapshot] = []
    public private(set) var results: [(name: String, value: LuaValue)] = []
    /// Charts the script drew with `pl.chart`, in the order it drew them.
    public private(set) var charts: [Chart] = []
    /// Final statistics of regions closed during the run, captured just before their release.
    public private(set) var closedRegions: [RegionReport] = []
    /// Address spaces the script made beside the main one (`pl.space`), released with it.
    public private(set) var extraSpaces: [AddressSpace] = []
    /// While true (`pagelab info`), the scenario's top level may declare but not touch memory.
    public var declarationOnly = false
    /// While true, every memory operation on a region of the scenario's own space (the script's,
    /// and those of models working in it, such as the JVM's) records the page states of the region
    /// afterwards, so that two runs of a scenario (host and model) can be compared page by page.
    public var tracesPageStates = false {
        didSet {
            space.observer = tracesPageStates ? { [unowned self] region, operation in
                guard let states = try? region.pageStates() else { return }
                pageStateTrace.append(PageStateRecord(operation: operation, region: region.name, states: PageState.runs(states)))
            } : nil
        }
    }
    public private(set) var pageStateTrace: [PageStateRecord] = []
    /// With `--hold`, regions the script closes stay mapped until `releaseAll`, so that the held
    /// process shows all the memory the scenario made.
    public var deferReleases = false
    /// With `--html`, every region's report keeps a page map of the region as it was last seen.
    public var keepsPageMaps = false
    /// With `--interval`, samples the regions after operations once an interval has passed.
    public var intervalReport: IntervalReport?
    private var deferred: [Region] = []
    private let start = ContinuousClock.now

    public init(space: AddressSpace) { self.space = space }

    /// Nanoseconds since the session began.
    var elapsedNanoseconds: UInt64 {
        let elapsed = ContinuousClock.now - start
        return UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000)
    }

    func log(_ operation: String, region: Region, offset: Int?, length: Int?, detail: String?, result: OpResult) {
        operations.append(OperationRecord(
            operation: operation, region: region.name, offset: offset, length: length, detail: detail,
            result: result, atNanoseconds: elapsedNanoseconds))
        intervalReport?.sampleIfDue(self)
    }

    func record(_ name: String, _ value: LuaValue) {
        if let index = results.firstIndex(where: { $0.name == name }) {
            results[index].value = value
        } else {
            results.append((name, value))
        }
    }

    func chart(_ chart: Chart) {
        charts.append(chart)
    }

    /// Statistics of every live region and of the process, kept under `name`.
    func snapshot(_ name: String) throws -> Snapshot {
        let regions = try liveRegions.map { report($0, try $0.stats()) }
        let snapshot = Snapshot(name: name, regions: regions, process: space.processStats())
        snapshots.removeAll { $0.name == name }
        snapshots.append(snapshot)
        return snapshot
    }

    func snapshot(named name: String) -> Snapshot? { snapshots.first { $0.name == name } }

    /// Closes `region`, keeping its final statistics for the report.
    func close(_ region: Region) {
        guard !region.isClosed, !deferred.contains(where: { $0 === region }) else { return }
        if let stats = try? region.stats() { closedRegions.append(report(region, stats)) }
        if deferReleases {
            deferred.append(region)
        } else {
            region.close()
        }
    }

    /// Runs `release`, which closes regions of the scenario's space by itself (a JVM closing its
    /// areas), keeping the final statistics of the regions it closed.
    func releasing(_ release: () -> Void) {
        let before = liveRegions.compactMap { region in (try? region.stats()).map { (region, report(region, $0)) } }
        release()
        closedRegions += before.filter { $0.0.isClosed }.map(\.1)
    }

    private func report(_ region: Region, _ stats: PageStats) -> RegionReport {
        RegionReport(region: region, stats: stats, pageMap: keepsPageMaps ? PageMapCells(region: region) : nil)
    }

    func adopt(_ space: AddressSpace) {
        extraSpaces.append(space)
    }

    /// Closes every region and shared memory of a space made by `pl.space`, keeping the regions'
    /// final statistics.
    func release(_ space: AddressSpace) {
        for region in space.regions { close(region) }
        for memory in space.sharedMemories { memory.close() }
        extraSpaces.removeAll { $0 === space }
    }

    /// Regions whose memory is still mapped: the live ones and those kept for `--hold`.
    public var mappedRegionCount: Int { space.regions.count }

    /// Regions the script can still use (not closed, not kept for `--hold`).
    var liveRegions: [Region] { space.regions.filter { region in !deferred.contains { $0 === region } } }

    /// Live regions of the scenario's space and of the spaces it made with `pl.space`.
    var allLiveRegions: [Region] { liveRegions + extraSpaces.flatMap(\.regions) }

    /// Final statistics of every region of the run: closed ones as they were, live ones now.
    public func finalRegionReports() -> [RegionReport] {
        closedRegions + liveRegions.compactMap { region in
            (try? region.stats()).map { report(region, $0) }
        }
    }

    /// Releases every mapping. Idempotent; runs at the end of a run, on every error and at exit.
    public func releaseAll() {
        deferReleases = false
        for region in deferred { region.close() }
        deferred = []
        for region in space.regions { close(region) }
        space.releaseAll()
        for extra in extraSpaces { release(extra) }
    }
}

/// The page states of a region after one operation, run-length encoded.
public struct PageStateRecord: Sendable, Equatable {
    public let operation: String
    public let region: String
    public let states: [PageStateRun]
}

public struct OperationRecord: Sendable {
    public let operation: String
    public let region: String
    public let offset: Int?
    public let length: Int?
    public let detail: String?
    public let result: OpResult
    public let atNanoseconds: UInt64
}

public struct RegionReport: Sendable {
    public let name: String
    public let base: UInt
    public let stats: PageStats
    /// The policy of each part of the region that had one of its own, for numa_maps lines.
    public let policies: [(range: Range<Int>, policy: MemoryPolicy)]
    /// The region's pages as a picture, kept for the HTML report.
    public let pageMap: PageMapCells?

    init(region: Region, stats: PageStats, pageMap: PageMapCells? = nil) {
        name = region.name
        base = region.base
        self.stats = stats
        policies = (try? region.policies()) ?? []
        self.pageMap = pageMap
    }
}

public struct Snapshot: Sendable {
    public let name: String
    public let regions: [RegionReport]
    public let process: ProcessStats
}
