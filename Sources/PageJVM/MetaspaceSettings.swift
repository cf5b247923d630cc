import PageCore

/// `-XX:MetaspaceReclaimPolicy` (JDK 17 only; obsolete from 21, JDK-8306696).
public enum MetaspaceReclaimPolicy: String, CaseIterable, Sendable {
    /// 64 KiB granules, chunks committed on demand, free chunks uncommitted (the default).
    case balanced
    /// 16 KiB granules, so more free memory can be uncommitted.
    case aggressive
    /// 64 KiB granules, chunks fully committed when handed out, nothing uncommitted: the
    /// behaviour of the metaspace before JEP 387.
    case none
}

/// The numbers metaspace runs by (`docs/hotspot.md` §3), after `Metaspace::ergo_initialize`.
/// "17" is 17.0.15 as `JDK` says: the 16 MiB root chunk and 64 MiB nodes of 17.0.7+ (17 GA had
/// 4 MiB, 13 levels and 8 MiB nodes; set them here to model it).
public struct MetaspaceSettings: Sendable, Equatable {
    /// Largest chunk, and the unit nodes are reserved and aligned in.
    public var rootChunkSize: Int
    /// Buddy levels: level 0 is the root chunk, each level halves it (15 levels: 16M...1K).
    public var levels: Int
    /// The unit of commit and uncommit.
    public var commitGranule: Int
    /// Reservation of a non-class node (`_virtual_space_node_default_word_size`).
    public var virtualSpaceNodeSize: Int
    /// JDK 17 only; nil from 21.
    public var reclaimPolicy: MetaspaceReclaimPolicy?
    /// MetaspaceSize: the first GC high-water mark.
    public var metaspaceSize: Int
    /// MaxMetaspaceSize: the limit on committed metaspace (class and non-class); nil = unlimited.
    public var maxMetaspaceSize: Int?
    /// The high-water mark's small and large steps (`MetaspaceGC::delta_capacity_until_GC`).
    public var minMetaspaceExpansion: Int
    public var maxMetaspaceExpansion: Int
    /// MinMetaspaceFreeRatio and MaxMetaspaceFreeRatio (percent) for the resize after a GC.
    public var minMetaspaceFreeRatio: Int
    public var maxMetaspaceFreeRatio: Int
    /// CompressedClassSpaceSize.
    public var classSpaceSize: Int
    /// UseCompressedClassPointers: class metadata (Klass) goes to the class space.
    public var hasClassSpace: Bool

    /// The defaults of `jdk`: 16 MiB root chunk, 15 levels, 64 KiB granule, 64 MiB nodes,
    /// MetaspaceSize 21M, MaxMetaspaceSize unlimited, expansion steps ScaleForWordSize(256K) and
    /// ScaleForWordSize(4M) aligned down to the granule (320K and 5312K), free ratios 40/70,
    /// a 1 GiB class space; reclaim policy balanced in 17.
    public static func defaults(for jdk: JDK) -> MetaspaceSettings {
        MetaspaceSettings(rootChunkSize: 16 << 20, levels: 15, commitGranule: max(HostInfo.pageSize, 64 << 10),
                          virtualSpaceNodeSize: 64 << 20, reclaimPolicy: jdk.hasReclaimPolicy ? .balanced : nil,
                          metaspaceSize: 22_020_096, maxMetaspaceSize: nil,
                          minMetaspaceExpansion: scaleForWordSize(256 << 10), maxMetaspaceExpansion: scaleForWordSize(4 << 20),
                          minMetaspaceFreeRatio: 40, maxMetaspaceFreeRatio: 70, classSpaceSize: 1 << 30, hasClassSpace: true)
            .ergonomicallyAdjusted()
    }

    /// `ScaleForWordSize`: 30% more on 64-bit, for bigger words, aligned down to a word.
    static func scaleForWordSize(_ bytes: Int) -> Int {
        bytes * 13 / 10 / 8 * 8
    }

    /// What `Settings::ergo_initialize` and `Metaspace::ergo_initialize` make of the flags: the
    /// granule of the reclaim policy (16 KiB for aggressive, else 64 KiB, at least a page);
    /// MaxMetaspaceSize at least a granule; the class space at most 80% of MaxMetaspaceSize,
    /// aligned up to the root chunk; MetaspaceSize at most MaxMetaspaceSize; MetaspaceSize and
    /// the expansion steps aligned down to the granule.
    public func ergonomicallyAdjusted() -> MetaspaceSettings {
        var adjusted = self
        if let policy = reclaimPolicy {
            adjusted.commitGranule = max(HostInfo.pageSize, policy == .aggressive ? 16 << 10 : 64 << 10)
        }
        let granule = adjusted.commitGranule
        if let maximum = maxMetaspaceSize {
            adjusted.maxMetaspaceSize = max(maximum, granule)
            if hasClassSpace {
                let capped = min(classSpaceSize, Int(Double(adjusted.maxMetaspaceSize!) * 0.8))
                adjusted.classSpaceSize = max(rootChunkSize, (capped + rootChunkSize - 1) / rootChunkSize * rootChunkSize)
            }
            adjusted.metaspaceSize = min(metaspaceSize, adjusted.maxMetaspaceSize!)
        }
        func alignDownBounded(_ value: Int) -> Int { max(granule, value / granule * granule) }
        adjusted.metaspaceSize = alignDownBounded(adjusted.metaspaceSize)
        adjusted.minMetaspaceExpansion = alignDownBounded(minMetaspaceExpansion)
        adjusted.maxMetaspaceExpansion = alignDownBounded(maxMetaspaceExpansion)
        return adjusted
    }

    /// New chunks are committed whole (policy none), not on demand.
    var commitsNewChunksFully: Bool { reclaimPolicy == MetaspaceReclaimPolicy.none }
    /// Free chunks of a granule or more are uncommitted at purge (all policies but none).
    var uncommitsFreeChunks: Bool { reclaimPolicy != MetaspaceReclaimPolicy.none }

    /// The size of a chunk of `level`.
    func chunkSize(level: Int) -> Int {
        rootChunkSize >> level
    }

    /// The highest level (smallest chunk) that holds `bytes`.
    func level(fitting bytes: Int) -> Int {
        var level = levels - 1
        while level > 0 && chunkSize(level: level) < bytes { level -= 1 }
        return level
    }
}
