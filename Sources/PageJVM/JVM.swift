import PageCore

/// A booted JVM's native memory: every area HotSpot reserves and commits at startup, made in
/// HotSpot's order with HotSpot's primitives (reserve PROT_NONE, commit with mmap(MAP_FIXED),
/// protect, madvise, pretouch) on an address space — real memory on the host backend, simulated
/// on the model backend. `close()` releases everything.
public final class JVM {
    public let configuration: JVMConfiguration
    public let space: AddressSpace
    /// In the order they were made.
    public private(set) var areas: [JVMArea] = []
    public internal(set) var heap: HeapReservation!
    /// G1's heap at run time (G1 only): regions, allocation, collections, uncommit.
    public internal(set) var g1Heap: G1Heap?
    /// Metaspace at run time: class loaders, chunks, granules, the GC high-water mark.
    public internal(set) var metaspace: Metaspace?
    /// ZGC's heap memory, the memfd "java_heap" its views map; nil for the other collectors.
    public internal(set) var heapMemory: SharedMemory?
    /// `-Xlog` lines in HotSpot's formats, decorated with level and tags (not uptime), in the order
    /// the boot made them.
    public private(set) var log: [String] = []
    private var regions: [Region] = []

    /// Boots the JVM that `options` describe on `space`. On error nothing stays mapped.
    public static func boot(_ options: [String], jdk: JDK = .v17, machine: JVMMachine = .host(),
                            space: AddressSpace) throws -> JVM {
        let configuration = try JVMConfiguration(try JVMArguments(options, jdk: jdk), machine: machine)
        return try JVM(configuration, space: space)
    }

    public init(_ configuration: JVMConfiguration, space: AddressSpace) throws {
        self.configuration = configuration
        self.space = space
        do {
            try bootSafepointPages()
            try bootCodeCache()
            try bootHeap()
            try bootMetaspace()
            try bootThreads()
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Unmaps every area. Idempotent.
    public func close() {
        for region in regions { region.close() }
        regions.removeAll()
        heapMemory?.close()
    }

    public var isClosed: Bool { regions.isEmpty }

    var pageSize: Int { configuration.machine.pageSize }

    // MARK: Making areas

    /// Reserves a region and records it as one area.
    @discardableResult
    func reserve(_ name: String, _ category: NMTCategory, size: Int, requested: Int? = nil, at address: UInt? = nil,
                 align: Int? = nil, exec: Bool = false, tracksCommits: Bool = true) throws(PageError) -> Region {
        let region = try reserveRegion(name, size: size, at: address, align: align, exec: exec)
        areas.append(JVMArea(name: name, category: category, region: region, requestedSize: requested, pageSize: pageSize,
                             tracksCommits: tracksCommits))
        return region
    }

    func reserveRegion(_ name: String, size: Int, at address: UInt? = nil, align: Int? = nil, exec: Bool = false) throws(PageError) -> Region {
        let alignment = align.flatMap { $0 > pageSize ? $0 : nil }
        let region = try space.reserve(size: size, options: ReserveOptions(name: name, at: address, align: alignment, exec: exec))
        regions.append(region)
        return region
    }

    func record(_ area: JVMArea) {
        areas.append(area)
    }

    /// Unmaps a region made at run time (a purged metaspace node) and drops its areas.
    func forget(_ region: Region) {
        areas.removeAll { $0.region === region }
        regions.removeAll { $0 === region }
        region.close()
    }

    /// Logs `line` as `-Xlog:TAGS` would at `level`.
    func log(_ line: String, tags: String = "pagesize", level: String = "info") {
        log.append("[\(level)][\(tags)] \(line)")
    }

    // MARK: Boot steps

    /// `SafepointMechanism::default_initialize`: a bad page (PROT_NONE) and a good page (PROT_READ).
    private func bootSafepointPages() throws(PageError) {
        let pages = try reserve("Safepoint polling pages", .safepoint, size: 2 * pageSize)
        try pages.commit(offset: 0, length: 2 * pageSize)
        try pages.protect(offset: 0, length: pageSize, .none)
        try pages.protect(offset: pageSize, length: pageSize, .r)
        log("SafePoint Polling address, bad (protected) page:\(Self.pointer(pages.base)), good (unprotected) page:\(Self.pointer(pages.base + UInt(pageSize)))", tags: "os")
    }

    /// `CodeCache::initialize_heaps`: one executable reservation split into the code heaps, each
    /// committing `InitialCodeCacheSize`, and a segment map per heap beside it.
    private func bootCodeCache() throws(PageError) {
        let code = configuration.codeCache
        let total = code.heaps.reduce(0) { $0 + $1.size }
        let cache = try reserveRegion("CodeCache", size: total, align: code.pageSize, exec: true)
        var offset = 0
        for heap in code.heaps {
            let name = "CodeHeap '\(heap.name)'"
            let initial = min(code.initialSize, heap.size)
            let committed = min(JVMConfiguration.alignUp(initial, code.pageSize), heap.size)
            try cache.commit(offset: offset, length: committed)
            if code.pageSize > pageSize { try cache.advise(offset: offset, length: committed, .hugepage) }
            record(JVMArea(name: name, category: .code, region: cache, offset: offset, length: heap.size, pageSize: pageSize))
            log("\(name):  min=\(Self.k(initial)) max=\(Self.k(heap.size)) base=\(Self.pointer(cache.base + UInt(offset))) \(pageSizeField(size: heap.size, pageSize: code.pageSize))")
            let segmentMap = JVMConfiguration.alignUp(heap.size / code.segmentSize, pageSize)
            let map = try reserve("\(name) segment map", .code, size: segmentMap)
            try map.commit(offset: 0, length: JVMConfiguration.alignUp(committed / code.segmentSize, pageSize))
            offset += heap.size
        }
    }

    /// "page_size=4K size=8G" in 17 and 21, "size=8G page_size=4K" in 25.
    func pageSizeField(size: Int, pageSize: Int? = nil) -> String {
        let page = Self.k(pageSize ?? self.pageSize)
        return configuration.jdk == .v25 ? "size=\(Self.k(size)) page_size=\(page)" : "page_size=\(page) size=\(Self.k(size))"
    }

    // MARK: Formatting as HotSpot does

    /// `PTR_FORMAT`: 0x and 16 hexadecimal digits.
    public static func pointer(_ address: UInt) -> String {
        let digits = String(address, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }

    /// `EXACTFMT`: the largest unit that divides the size exactly (B, K, M, G).
    static func k(_ bytes: Int) -> String {
        for (unit, shift) in [("G", 30), ("M", 20), ("K", 10)] where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(unit)"
        }
        return "\(bytes)B"
    }
}
