import PageCore

/// The figures of one metaspace (non-class or class space), in bytes.
public struct MetaspaceSpaceStatistics: Sendable, Equatable {
    /// Address space of its nodes.
    public var reserved = 0
    /// Committed granules.
    public var committed = 0
    /// Taken by class loaders' arenas (what `-Xlog:gc+metaspace` calls used).
    public var used = 0
    /// Resident pages of its nodes (`Region.stats`): written metadata, which is less than
    /// committed.
    public var resident = 0
    public var nodes = 0
    /// Bytes in free chunks, committed or not.
    public var freeChunks = 0
}

/// Metaspace as a whole.
public struct MetaspaceStatistics: Sendable, Equatable {
    public var nonClass: MetaspaceSpaceStatistics
    /// Nil without a class space (-XX:-UseCompressedClassPointers).
    public var classSpace: MetaspaceSpaceStatistics?
    /// The GC high-water mark (capacity_until_GC).
    public var capacityUntilGC: Int
    public var loaders: Int
    public var classes: Int
}

/// One class loader's metaspace.
public struct ClassLoaderStatistics: Sendable, Equatable {
    public let id: Int
    public let name: String
    public let kind: ClassLoaderKind
    public let classes: Int
    public let nonClassUsed: Int
    public let classUsed: Int
    /// Sizes of the chunks its arenas hold, non-class then class, in the order they came.
    public let chunkSizes: [Int]
}

/// How many chunks of one buddy level there are in one metaspace.
public struct MetaspaceLevelCensus: Sendable, Equatable {
    public let level: Int
    public let chunkSize: Int
    public let free: Int
    public let inUse: Int
}

/// What unloading a class loader did.
public struct MetaspaceUnload: Sendable, Equatable {
    public let classes: Int
    public let usedBefore: Int
    public let usedAfter: Int
    public let committedBefore: Int
    public let committedAfter: Int
    public let reservedBefore: Int
    public let reservedAfter: Int
    /// Non-class nodes unmapped (JDK 17 only).
    public let nodesUnmapped: Int
    public let capacityUntilGCBefore: Int
    public let capacityUntilGCAfter: Int
}

/// A collection metaspace made the JVM run (`VM_CollectForMetadataAllocation` with G1).
public struct MetaspaceGCEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A young pause that starts concurrent marking, after which the mark is raised.
        case concurrentStart = "Pause Young (Concurrent Start)"
        case full = "Pause Full"
    }

    public let kind: Kind
    /// "Metadata GC Threshold" or "Metadata GC Clear Soft References".
    public let cause: String
    public let committed: Int
    public let capacityUntilGCBefore: Int
    public let capacityUntilGCAfter: Int

    public var logLine: String {
        "\(kind.rawValue) (\(cause)): metaspace committed \(ByteSize.format(committed)), capacity_until_GC "
            + "\(ByteSize.format(capacityUntilGCBefore))->\(ByteSize.format(capacityUntilGCAfter))"
    }
}

/// What one `Metaspace.loadClasses` call did.
public struct MetaspaceLoad: Sendable, Equatable {
    public let classes: Int
    /// Collections the loading made the JVM run.
    public let collections: [MetaspaceGCEvent]
}
