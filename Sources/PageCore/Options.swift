/// How `AddressSpace.reserve` places a region.
public struct ReserveOptions: Sendable {
    /// Shown in statistics and errors; "region-N" when nil.
    public var name: String?
    /// An exact, page-aligned address (`MAP_FIXED_NOREPLACE`: never replaces a mapping).
    public var at: UInt?
    /// A power of two of at least the page size the base must be a multiple of.
    public var align: Int?
    /// Commits become readable, writable and executable (a code cache).
    public var exec: Bool

    public init(name: String? = nil, at: UInt? = nil, align: Int? = nil, exec: Bool = false) {
        self.name = name
        self.at = at
        self.align = align
        self.exec = exec
    }
}

/// How `Region.touch` accesses memory.
public struct TouchOptions: Sendable {
    /// Write (fault in private pages) rather than read (maps the shared zero page).
    public var write: Bool = true
    /// Bytes between accesses; the page size when nil.
    public var stride: Int?
    /// Threads sharing the work in 4 MiB chunks, 1...256, the caller being one of them.
    public var threads: Int = 1

    public init(write: Bool = true, stride: Int? = nil, threads: Int = 1) {
        self.write = write
        self.stride = stride
        self.threads = threads
    }
}
