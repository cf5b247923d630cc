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
    /// Back the region with hugetlb pages of this size (`MAP_HUGETLB`, as -XX:+UseLargePages
    /// does): the pool must hold enough free pages for the whole region at once, or the
    /// reservation fails with ENOMEM as the kernel's does. Nil for ordinary memory.
    public var hugePageSize: Int?

    public init(name: String? = nil, at: UInt? = nil, align: Int? = nil, exec: Bool = false, hugePageSize: Int? = nil) {
        self.name = name
        self.at = at
        self.align = align
        self.exec = exec
        self.hugePageSize = hugePageSize
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
    /// The NUMA node whose CPUs the touching threads run on (first-touch placement); nil leaves
    /// them where the scheduler puts them (on the model: thread i on CPU i).
    public var node: Int?

    public init(write: Bool = true, stride: Int? = nil, threads: Int = 1, node: Int? = nil) {
        self.write = write
        self.stride = stride
        self.threads = threads
        self.node = node
    }
}
