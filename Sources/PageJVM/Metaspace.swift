import PageCore

/// Metaspace at run time on real regions (JEP 387, `docs/hotspot.md` §3): class loaders with
/// their arenas, the buddy chunk allocator, commit granules committed on demand and touched as
/// metadata is written, non-class nodes reserved as needed, the class space as one node over
/// the region the boot reserved, the GC high-water mark, MaxMetaspaceSize, and each release's
/// reclaim behaviour when a loader is unloaded.
public final class Metaspace {
    /// NMT's categories for the two spaces.
    public static let nonClassCategory = "Metaspace"
    public static let classCategory = "Class"

    public let jdk: JDK
    public let settings: MetaspaceSettings
    /// Lines in the manner of `-Xlog:gc+metaspace`.
    public private(set) var log: [String] = []
    /// Collections metaspace made the JVM run, oldest first.
    public private(set) var collections: [MetaspaceGCEvent] = []

    private let limiter: MetaspaceCommitLimiter
    private var threshold: MetaspaceGCThreshold
    private let nonClass: MetaspaceChunkManager
    private let classSpace: MetaspaceChunkManager?
    private var loaders: [Int: ClassLoaderMetaspace] = [:]
    private var nextLoaderID = 1

    /// `settings` as `MetaspaceSettings.defaults(for:)` or `ergonomicallyAdjusted()` give them.
    /// The class space is used when `settings.hasClassSpace` and `classSpace` is given: the
    /// region from `classSpaceOffset` on (the CDS archive comes first when they share a
    /// reservation), at most `settings.classSpaceSize`, in as many root chunks as fit.
    /// Non-class nodes come from `nodeProvider`, or straight from `space`. The high-water mark
    /// starts where `MetaspaceGC::post_initialize` puts it once the VM is up: MetaspaceSize.
    public init(space: AddressSpace, settings: MetaspaceSettings, classSpace: Region?, jdk: JDK,
                classSpaceOffset: Int = 0, nodeProvider: MetaspaceNodeProvider? = nil) {
        self.jdk = jdk
        self.settings = settings
        limiter = MetaspaceCommitLimiter(capacityUntilGC: settings.metaspaceSize, maxMetaspaceSize: settings.maxMetaspaceSize ?? Int.max)
        threshold = MetaspaceGCThreshold(settings: settings)
        nonClass = MetaspaceChunkManager(settings: settings, nodes: [],
                                         reserver: MetaspaceNodeReserver(space: space, settings: settings, limiter: limiter, provider: nodeProvider))
        if settings.hasClassSpace, let classSpace {
            let node = MetaspaceNode(region: classSpace, offset: classSpaceOffset,
                                     size: min(settings.classSpaceSize, classSpace.size - classSpaceOffset),
                                     granule: settings.commitGranule, rootChunkSize: settings.rootChunkSize, limiter: limiter)
            self.classSpace = MetaspaceChunkManager(settings: settings, nodes: [node], reserver: nil)
        } else {
            self.classSpace = nil
        }
    }

    // MARK: Class loaders

    /// Creates a class loader with an empty metaspace; returns its id.
    public func createLoader(name: String, kind: ClassLoaderKind = .standard) -> Int {
        let id = nextLoaderID
        nextLoaderID += 1
        loaders[id] = ClassLoaderMetaspace(
            id: id, name: name, kind: kind,
            nonClass: MetaspaceArena(manager: nonClass, growth: kind.growth(classSpace: false)),
            classArena: classSpace.map { MetaspaceArena(manager: $0, growth: kind.growth(classSpace: true)) })
        return id
    }

    /// Loads `count` classes into the loader, each with `nonClassBytes` of non-class metadata
    /// (methods, constant pool...) and `classBytes` in the class space (the Klass), or in
    /// non-class metaspace without a class space. Each class is loaded whole or not at all.
    /// Reaching MaxMetaspaceSize (or the end of the class space) is `OutOfMemoryError`, after the
    /// collections the JVM would run first; the classes loaded before stay loaded.
    @discardableResult
    public func loadClasses(loader id: Int, count: Int, nonClassBytes: Int, classBytes: Int) throws(JVMRuntimeError) -> MetaspaceLoad {
        let loader = try self.loader(id)
        guard count > 0 else { throw .invalidArgument(parameter: "count", message: "class count \(count) is not positive") }
        for (name, bytes) in [("nonclass", nonClassBytes), ("class", classBytes)] {
            guard bytes >= 0 else { throw .invalidArgument(parameter: name, message: "\(name) metadata size \(bytes) is negative") }
            guard bytes <= settings.rootChunkSize else {
                throw .invalidArgument(parameter: name, message: "\(name) metadata of \(ByteSize.format(bytes)) is larger than a root chunk (\(ByteSize.format(settings.rootChunkSize)))")
            }
        }
        guard nonClassBytes + classBytes > 0 else {
            throw .invalidArgument(parameter: "size", message: "a class needs some metadata (both sizes are 0)")
        }
        let nonClassSize = Self.rawSize(nonClassBytes), classSize = Self.rawSize(classBytes)
        let collectionsBefore = collections.count
        var failure: JVMRuntimeError?
        do throws(PageError) {
            for loaded in 0..<count {
                let nonClassBlock = nonClassSize > 0 ? try allocate(nonClassSize, in: loader.nonClass) : nil
                if nonClassSize > 0 && nonClassBlock == nil {
                    failure = outOfMemory(inClassSpace: false, bytes: nonClassSize, loader: loader, loaded: loaded, count: count)
                    break
                }
                if classSize > 0, try allocate(classSize, in: loader.classArena ?? loader.nonClass) == nil {
                    if let nonClassBlock { loader.nonClass.deallocate(nonClassBlock) }
                    failure = outOfMemory(inClassSpace: loader.classArena != nil, bytes: classSize, loader: loader, loaded: loaded, count: count)
                    break
                }
                loader.classes += 1
            }
            try flushWrites()
        } catch {
            try? flushWrites()
            throw .page(error)
        }
        if let failure { throw failure }
        return MetaspaceLoad(classes: count, collections: Array(collections[collectionsBefore...]))
    }

    /// Unloads the loader as the collection after it became unreachable does: its chunks go back
    /// to the chunk managers (merging with free buddies), `ChunkManager::purge` reclaims what
    /// this release reclaims, and the high-water mark is resized.
    @discardableResult
    public func unload(loader id: Int) throws(JVMRuntimeError) -> MetaspaceUnload {
        let loader = try self.loader(id)
        let before = (used: totalUsed, committed: limiter.committed, reserved: reserved, capacity: limiter.capacityUntilGC)
        loader.nonClass.release()
        loader.classArena?.release()
        loaders[id] = nil
        var unmapped = 0
        do throws(PageError) {
            unmapped = try nonClass.purge(unmapFreeNodes: jdk.purgesFreeMetaspaceNodes)
            _ = try classSpace?.purge(unmapFreeNodes: false)
        } catch {
            throw .page(error)
        }
        threshold.resize(limiter)
        log.append("Unloaded '\(loader.name)' (\(loader.classes) classes): committed \(ByteSize.format(before.committed))->"
                   + "\(ByteSize.format(limiter.committed)), reserved \(ByteSize.format(before.reserved))->\(ByteSize.format(reserved)), "
                   + "capacity_until_GC \(ByteSize.format(before.capacity))->\(ByteSize.format(limiter.capacityUntilGC))")
        return MetaspaceUnload(classes: loader.classes, usedBefore: before.used, usedAfter: totalUsed,
                               committedBefore: before.committed, committedAfter: limiter.committed,
                               reservedBefore: before.reserved, reservedAfter: reserved, nodesUnmapped: unmapped,
                               capacityUntilGCBefore: before.capacity, capacityUntilGCAfter: limiter.capacityUntilGC)
    }

    private func loader(_ id: Int) throws(JVMRuntimeError) -> ClassLoaderMetaspace {
        guard let loader = loaders[id] else { throw .invalidArgument(parameter: "loader", message: "no class loader \(id)") }
        return loader
    }

    /// `get_raw_word_size_for_requested_word_size`: whole words, at least the smallest block.
    private static func rawSize(_ bytes: Int) -> Int {
        bytes == 0 ? 0 : max(MetaspaceArena.minimumBlock, (bytes + 7) / 8 * 8)
    }

    // MARK: Allocation failure

    /// `Metaspace::allocate` with G1's `VM_CollectForMetadataAllocation`: on failure a young
    /// pause starts concurrent marking and the high-water mark is raised
    /// (`expand_and_allocate`); failing that, a full collection and a resize, then a raise
    /// again; failing that, a full collection clearing soft references. Nil when all that is not
    /// enough. The model's collections free no metadata: loaders die only by `unload`.
    private func allocate(_ bytes: Int, in arena: MetaspaceArena) throws(PageError) -> MetaspaceBlock? {
        if let block = try arena.allocate(bytes) { return block }
        record(.concurrentStart, "Metadata GC Threshold") { raiseThreshold(for: bytes) }
        if let block = try arena.allocate(bytes) { return block }
        record(.full, "Metadata GC Threshold") { threshold.resize(limiter) }
        if let block = try arena.allocate(bytes) { return block }
        raiseThreshold(for: bytes)
        if let block = try arena.allocate(bytes) { return block }
        record(.full, "Metadata GC Clear Soft References") { threshold.resize(limiter) }
        return try arena.allocate(bytes)
    }

    /// The raise of `ClassLoaderMetaspace::expand_and_allocate`; it fails past MaxMetaspaceSize.
    private func raiseThreshold(for bytes: Int) {
        let before = limiter.capacityUntilGC
        if threshold.raise(limiter, by: threshold.delta(for: bytes)) {
            log.append("Increase capacity to GC from \(before) to \(limiter.capacityUntilGC)")
        }
    }

    private func record(_ kind: MetaspaceGCEvent.Kind, _ cause: String, _ collect: () -> Void) {
        let before = limiter.capacityUntilGC
        collect()
        let event = MetaspaceGCEvent(kind: kind, cause: cause, committed: limiter.committed,
                                     capacityUntilGCBefore: before, capacityUntilGCAfter: limiter.capacityUntilGC)
        collections.append(event)
        log.append(event.logLine)
    }

    /// `report_metadata_oome`: "Compressed class space" when a class-space allocation finds the
    /// class space committed too far for it (its committed bytes plus the request rounded up to
    /// 4 MiB exceed CompressedClassSpaceSize), else "Metaspace".
    private func outOfMemory(inClassSpace: Bool, bytes: Int, loader: ClassLoaderMetaspace, loaded: Int, count: Int) -> JVMRuntimeError {
        let classCommitted = classSpace?.committed ?? 0
        let classSpaceSize = classSpace?.nodes.first?.size ?? 0
        let context = "class \(loaded + 1) of \(count) for loader '\(loader.name)' needs \(ByteSize.format(bytes))"
        if inClassSpace && classCommitted + (bytes + (4 << 20) - 1) / (4 << 20) * (4 << 20) > classSpaceSize {
            return .outOfMemory(space: .compressedClassSpace, message: "OutOfMemoryError: Compressed class space "
                                + "(CompressedClassSpaceSize=\(ByteSize.format(classSpaceSize)): \(ByteSize.format(classCommitted)) committed; \(context))")
        }
        let limit = settings.maxMetaspaceSize.map { "MaxMetaspaceSize=\(ByteSize.format($0))" } ?? "MaxMetaspaceSize unlimited"
        return .outOfMemory(space: .metaspace, message: "OutOfMemoryError: Metaspace (\(limit): "
                            + "\(ByteSize.format(limiter.committed)) committed; \(context))")
    }

    private func flushWrites() throws(PageError) {
        for node in nonClass.nodes + (classSpace?.nodes ?? []) {
            try node.flushWrites()
        }
    }

    // MARK: Figures

    /// The GC high-water mark (capacity_until_GC).
    public var capacityUntilGC: Int { limiter.capacityUntilGC }
    /// Committed metaspace, class and non-class, as MaxMetaspaceSize counts it.
    public var committed: Int { limiter.committed }
    private var reserved: Int { nonClass.reserved + (classSpace?.reserved ?? 0) }
    private var totalUsed: Int { loaders.values.reduce(0) { $0 + $1.nonClass.used + ($1.classArena?.used ?? 0) } }

    /// Reserved, committed, used and resident bytes of each space.
    public func statistics() throws(PageError) -> MetaspaceStatistics {
        func figures(_ manager: MetaspaceChunkManager, used: Int) throws(PageError) -> MetaspaceSpaceStatistics {
            var resident = 0
            for node in manager.nodes { resident += try node.resident() }
            return MetaspaceSpaceStatistics(reserved: manager.reserved, committed: manager.committed, used: used,
                                            resident: resident, nodes: manager.nodes.count, freeChunks: manager.freeBytes)
        }
        let values = Array(loaders.values)
        return MetaspaceStatistics(
            nonClass: try figures(nonClass, used: values.reduce(0) { $0 + $1.nonClass.used }),
            classSpace: try classSpace.map { manager throws(PageError) in try figures(manager, used: values.reduce(0) { $0 + ($1.classArena?.used ?? 0) }) },
            capacityUntilGC: limiter.capacityUntilGC, loaders: loaders.count, classes: values.reduce(0) { $0 + $1.classes })
    }

    /// The id of the live class loader called `name` (the newest, if several are).
    public func loaderID(named name: String) -> Int? {
        loaders.values.filter { $0.name == name }.map(\.id).max()
    }

    /// The class loaders, by id.
    public var loaderStatistics: [ClassLoaderStatistics] {
        loaders.keys.sorted().map { loaders[$0]!.statistics }
    }

    /// Chunks per buddy level in non-class metaspace (`classSpace` false) or the class space.
    public func census(classSpace: Bool) -> [MetaspaceLevelCensus] {
        guard let manager = classSpace ? self.classSpace : nonClass else { return [] }
        let all = manager.nodes.flatMap(\.chunks.values)
        return (0..<settings.levels).map { level in
            MetaspaceLevelCensus(level: level, chunkSize: settings.chunkSize(level: level),
                                 free: all.count { $0.level == level && $0.isFree }, inUse: all.count { $0.level == level && !$0.isFree })
        }
    }

    /// The reservations, with the NMT category each belongs to: non-class nodes ("Metaspace")
    /// then the class space ("Class", which may be part of a region shared with the CDS archive).
    public var mappings: [(category: String, region: Region, offset: Int, length: Int)] {
        (nonClass.nodes.map { (Self.nonClassCategory, $0) } + (classSpace?.nodes.map { (Self.classCategory, $0) } ?? []))
            .map { ($0.0, $0.1.region, $0.1.offset, $0.1.size) }
    }
}
