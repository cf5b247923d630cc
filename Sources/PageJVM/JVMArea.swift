import PageCore

/// One reservation of the JVM, or a named part of one (a code heap inside the code cache), with
/// the NMT category it is tracked under and what `-Xlog:pagesize` would say of it.
public struct JVMArea {
    public let name: String
    public let category: NMTCategory
    public let region: Region
    /// The part of `region` this area covers.
    public let offset: Int
    public let length: Int
    /// The size the JVM asked for before rounding (`req_size=` of `-Xlog:pagesize`).
    public let requestedSize: Int
    public let pageSize: Int
    /// Whether NMT records the commits of this area: ZGC records the commits of its multi-mapped
    /// heap at the first view's addresses only (`ZPhysicalMemoryManager::nmt_commit`, marked0),
    /// so the memory counts once however many views map it.
    public let tracksCommits: Bool

    public init(name: String, category: NMTCategory, region: Region, offset: Int = 0, length: Int? = nil,
                requestedSize: Int? = nil, pageSize: Int, tracksCommits: Bool = true) {
        self.name = name
        self.category = category
        self.region = region
        self.offset = offset
        self.length = length ?? region.size - offset
        self.requestedSize = requestedSize ?? self.length
        self.pageSize = pageSize
        self.tracksCommits = tracksCommits
    }

    public var base: UInt { region.base + UInt(offset) }

    public func stats() throws(PageError) -> PageStats {
        try region.stats(offset: offset, length: length)
    }
}
