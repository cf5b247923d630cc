/// Where an address space's memory lives (DESIGN §2): this process's real memory, or a simulated
/// Linux memory manager for what the host cannot show (more NUMA nodes, more RAM, hugetlb pools,
/// page-table counts).
public enum Backend: Sendable {
    /// Real system calls on this process; every figure is measured.
    case host
    /// A deterministic simulation of `machine`; every figure is simulated.
    case model(SimulatedMachine)

    /// "host" or "model", as scripts and reports name backends.
    public var name: String {
        switch self {
        case .host: "host"
        case .model: "model"
        }
    }

    /// The backends by name, for command lines and scripts.
    public static let names = ["host", "model"]
}

/// Where a figure came from.
public enum FigureSource: String, Sendable {
    /// Read from this host's kernel.
    case measured
    /// Computed by the model backend.
    case simulated
}

/// The memory operations of regions, as one backend carries them out. `Region` validates
/// arguments and keeps the bookkeeping (committed ranges, protections, advice, locks, policies);
/// a backend is called before the bookkeeping changes, so it can still see the state it replaces.
protocol MemoryBackend: AnyObject {
    var source: FigureSource { get }
    /// Whether operations that fault pages in are held to the address space's commit budget: it
    /// protects this machine, so only real memory needs it.
    var enforcesBudget: Bool { get }

    /// Runs `body` and says what it cost: wall time and page faults (host), or the simulated
    /// faults and time of what `body` did (model).
    func measure(_ body: () throws(PageError) -> Void) throws(PageError) -> OpResult

    /// Reserves address space (see `Reservation`); returns the base address.
    func reserve(size: Int, options: ReserveOptions) throws(PageError) -> UInt
    /// Unmaps the whole region. Never fails: the region's own mapping is released.
    func release(_ region: Region)

    /// Maps accessible memory over a reserved `span` of the region.
    func mapCommitted(_ region: Region, _ span: Range<Int>, _ protection: Protection) throws(PageError)
    /// Maps the reservation back over `span`, dropping its pages and page tables.
    func mapReserved(_ region: Region, _ span: Range<Int>) throws(PageError)
    func protect(_ region: Region, _ span: Range<Int>, _ protection: Protection) throws(PageError)
    func advise(_ region: Region, _ span: Range<Int>, _ advice: Advice) throws(PageError)
    /// Accesses `span` as `Region.touch` describes; throws `.fault` for an access the protection
    /// forbids, after the accesses before it took effect.
    func touch(_ region: Region, _ span: Range<Int>, _ options: TouchOptions) throws(PageError)
    /// Accesses the given pages (indexes of base pages in the region) in order.
    func touch(_ region: Region, pages: [Int], write: Bool) throws(PageError)
    func lock(_ region: Region, _ span: Range<Int>) throws(PageError)
    func unlock(_ region: Region, _ span: Range<Int>) throws(PageError)

    func stats(_ region: Region, _ span: Range<Int>) throws(PageError) -> PageStats
    func pageStates(_ region: Region, _ span: Range<Int>) throws(PageError) -> [PageState]
    func smaps(_ region: Region) throws(PageError) -> SmapsSummary
    /// Memory figures of the whole process (host) or of the simulated one (model) with the
    /// space's `regions`; `proportional` adds Pss, which costs a walk of every page table.
    func processStats(proportional: Bool, regions: [Region]) -> ProcessStats

    // Shared memory
    /// A memory file of `size` bytes with nothing allocated (memfd_create and ftruncate).
    func createFile(name: String, size: Int) throws(PageError) -> MemoryFile
    /// Maps `span` of the region onto the file from `fileOffset` (mmap(MAP_SHARED | MAP_FIXED)).
    func mapView(_ region: Region, _ span: Range<Int>, of file: MemoryFile, at fileOffset: Int,
                 _ protection: Protection) throws(PageError)

    // NUMA
    var topology: NUMATopology { get }
    /// Sets the memory policy of `span` (mbind); `move` migrates pages already there to fit it.
    func bind(_ region: Region, _ span: Range<Int>, _ policy: MemoryPolicy, move: Bool) throws(PageError)
    /// Sets the policy of the calling thread, which touch workers inherit (set_mempolicy).
    func setThreadPolicy(_ policy: MemoryPolicy) throws(PageError)
    func threadPolicy() throws(PageError) -> MemoryPolicy
    /// The node of each base page of `span`, or a negative errno as move_pages(2) reports it:
    /// -ENOENT for a page not present, -EFAULT for the zero page.
    func pageNodes(_ region: Region, _ span: Range<Int>) throws(PageError) -> [Int]
    /// Moves the resident pages of `span` to `node` (move_pages); returns the pages moved.
    func migrate(_ region: Region, _ span: Range<Int>, to node: Int) throws(PageError) -> Int
}

/// The file behind a `SharedMemory`, as one backend keeps it. `SharedMemory` validates ranges
/// and keeps the bookkeeping; offsets here are the file's.
protocol MemoryFile: AnyObject {
    /// fallocate(2): the pages of `span` exist from now on, mapped by no page table.
    func allocate(_ span: Range<Int>) throws(PageError)
    /// FALLOC_FL_PUNCH_HOLE: frees the pages of `span`, first unmapping them from the `views` that
    /// map them (region and span of the region), as the kernel does.
    func punchHole(_ span: Range<Int>, views: [(region: Region, span: Range<Int>)]) throws(PageError)
    /// Bytes the file holds.
    func allocatedBytes() throws(PageError) -> Int
    /// Closes the descriptor; views keep the pages.
    func close()
    /// Frees every page: the descriptor is closed and no view maps the file any more.
    func release()
}
