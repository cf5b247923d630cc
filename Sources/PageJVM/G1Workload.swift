/// What the program running on a `G1Heap` does to it, in the few numbers a region-level model
/// needs. Values out of range are clamped where they are used.
public struct G1Workload: Sendable, Equatable {
    /// Share (0...1) of the bytes in eden and survivor regions still live when a collection
    /// looks at them.
    public var survivalRatio = 0.1
    /// Share (0...1) of the bytes in old regions still live at a full collection.
    public var oldSurvivalRatio = 1.0
    /// Young collections an object survives in survivor regions before it is promoted to old
    /// (MaxTenuringThreshold, 15 by default; 0 promotes at the first collection).
    public var tenuringThreshold = 15
    /// G1MaxNewSizePercent (60): eden and survivors together take at most this share of the
    /// active regions before the mutator triggers a young collection.
    public var maxYoungPercent = 60

    public init() {}

    var clampedSurvival: Double { min(1, max(0, survivalRatio)) }
    var clampedOldSurvival: Double { min(1, max(0, oldSurvivalRatio)) }
    var clampedThreshold: Int { min(15, max(0, tenuringThreshold)) }
    var clampedYoungPercent: Int { min(100, max(1, maxYoungPercent)) }
}

/// A humongous object: one allocation larger than half a region, in contiguous regions.
public struct G1HumongousObject: Sendable, Equatable {
    public let firstRegion: Int
    public let regionCount: Int
    public let size: Int
    /// False once the program dropped it: the next collection reclaims its regions.
    public internal(set) var isLive = true
}
