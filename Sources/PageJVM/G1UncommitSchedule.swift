/// When `G1UncommitRegionTask` runs (`gc/g1/g1UncommitRegionTask.{hpp,cpp}`, JDK 16+,
/// JDK-8236926): a shrink leaves regions inactive and enqueues the task on the service thread
/// 100 ms later; each run uncommits at most 128 MiB of regions and, while inactive regions
/// remain, runs again 10 ms later.
struct G1UncommitSchedule {
    static let sizeLimit = 128 << 20
    static let initialDelayMs = 100
    static let taskDelayMs = 10

    /// When the task runs next; nil while it is not active.
    private(set) var nextRun: Int?

    /// `G1UncommitRegionTask::enqueue`: an active task keeps its time.
    mutating func enqueue(now: Int) {
        if nextRun == nil {
            nextRun = now + Self.initialDelayMs
        }
    }

    /// After a run at `time`: again 10 ms later if regions are left, else inactive.
    mutating func ran(at time: Int, regionsLeft: Bool) {
        nextRun = regionsLeft ? time + Self.taskDelayMs : nil
    }

    /// Regions one run may uncommit: `UncommitSizeLimit / G1HeapRegionSize`. HotSpot's division
    /// gives 0 for regions above 128 MiB (possible from JDK 18), which its uncommit loop cannot
    /// take; one region per run keeps the task going there.
    static func regionLimit(regionSize: Int) -> Int {
        max(1, sizeLimit / regionSize)
    }
}

/// One run of the uncommit task.
public struct G1UncommitRun: Sendable, Equatable {
    /// Milliseconds on the heap's clock at which the run happened.
    public let time: Int
    public let regions: Int
    public let bytes: Int
}
