import PageCore
import PageSafepoint

/// `--interval`: while a scenario runs, one NDJSON line each time an interval has passed, with the
/// statistics of every live region and of the process, and a last line when the run ends (sysbench's
/// `--report-interval`, with page statistics instead of transaction counts).
///
/// Lines are sampled where PageLab gets control: after every memory operation and from the Lua
/// tick. A single long native operation (a touch of 8 GiB) therefore delays the line that falls
/// inside it to its end; `t` says when the sample was really taken.
public final class IntervalReport {
    public let intervalNanoseconds: UInt64
    private let write: (String) -> Void
    private var due: UInt64
    private var sequence = 0

    /// - Parameter write: takes each line, newline included, and must flush it.
    public init(intervalNanoseconds: UInt64, write: @escaping (String) -> Void) {
        self.intervalNanoseconds = max(1, intervalNanoseconds)
        self.write = write
        due = self.intervalNanoseconds
    }

    /// The nanoseconds of an `--interval` value such as "1s", "250ms" or "0.5".
    public static func interval(_ text: String) throws(PageError) -> UInt64 {
        let nanoseconds = try DurationText.parse(text, parameter: "--interval")
        guard nanoseconds >= 1_000_000 else {
            throw PageError(.invalidArgument(parameter: "--interval"), "--interval '\(text)' is shorter than 1ms")
        }
        return nanoseconds
    }

    /// Writes a line if the next one is due; the one after falls due at the next multiple of the
    /// interval, so that lines keep their rhythm after a late one.
    public func sampleIfDue(_ session: Session) {
        let now = session.elapsedNanoseconds
        guard now >= due else { return }
        due = (now / intervalNanoseconds + 1) * intervalNanoseconds
        emit(session, at: now, final: nil)
    }

    /// The last line: every region's final statistics (those the scenario closed as they were
    /// then), and how the run ended.
    public func finish(_ session: Session, status: String) {
        emit(session, at: session.elapsedNanoseconds, final: status)
    }

    private func emit(_ session: Session, at nanoseconds: UInt64, final status: String?) {
        sequence += 1
        let reports = status == nil
            ? session.allLiveRegions.compactMap { region in (try? region.stats()).map { RegionReport(region: region, stats: $0) } }
            : session.finalRegionReports()
        var fields: [(String, JSON)] = [
            ("t", .double((Double(nanoseconds) / 1e6).rounded() / 1e3)), ("seq", .int(sequence)),
            ("operations", .int(session.operations.count)),
            ("regions", .array(reports.map(RunReport.region))), ("process", RunReport.process(session.space.processStats())),
        ]
        if let status { fields += [("final", .bool(true)), ("status", .string(status))] }
        write(JSON.object(fields).line() + "\n")
    }
}
