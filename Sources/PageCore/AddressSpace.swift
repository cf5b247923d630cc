/// A set of named regions of one address space, with one commit budget shared by all of them:
/// this process's own (the host backend) or a simulated process on a simulated machine (the model
/// backend), with the same operations. One per scenario; releasing it (or `releaseAll`) unmaps
/// everything.
public final class AddressSpace {
    /// The limit on memory the regions may make resident; see `CommitBudget`. Only real memory
    /// is held to it: the model's limit is its simulated machine's memory.
    public var budget: CommitBudget
    /// Live regions, in reservation order.
    public private(set) var regions: [Region] = []
    /// Shared memory files whose pages live (open, or still mapped by a view), in creation order.
    public private(set) var sharedMemories: [SharedMemory] = []
    /// Which backend this space lives on.
    public let kind: Backend
    let backend: MemoryBackend
    /// Called after every memory operation on one of the space's regions, with the operation's
    /// name: how a driver follows what models built on PageCore (the JVM's) do to memory.
    public var observer: ((Region, String) -> Void)?
    /// Numbers default names: region-1, region-2, ...
    private var reservations = 0
    private var memAvailable = MemAvailableGauge()

    public init(budget: CommitBudget = .standard(), backend: Backend = .host) {
        self.budget = budget
        self.kind = backend
        switch backend {
        case .host: self.backend = HostBackend()
        case .model(let machine): self.backend = ModelBackend(machine: machine)
        }
    }

    deinit {
        releaseAll()
    }

    /// Where this space's figures come from.
    public var source: FigureSource { backend.source }

    /// Reserves `size` bytes of address space (a positive multiple of the page size) without
    /// committing any: see `Reservation` and `ReserveOptions`. A hugetlb reservation
    /// (`hugePageSize`) takes its pages from the pool at once, and is committed whole.
    public func reserve(size: Int, options: ReserveOptions = ReserveOptions()) throws(PageError) -> Region {
        let base = try backend.reserve(size: size, options: options)
        reservations += 1
        let region = Region(name: options.name ?? "region-\(reservations)", base: base, size: size,
                            executable: options.exec, hugePageSize: options.hugePageSize, space: self)
        if options.hugePageSize != nil {
            region.protections.assign(options.exec ? .rwx : .rw, to: 0..<size)
        }
        regions.append(region)
        return region
    }

    /// A shared memory file of `size` bytes (a positive multiple of the page size) with nothing
    /// allocated yet: `memfd_create(name)` and `ftruncate(size)` on the host. See `SharedMemory`.
    public func sharedMemory(name: String, size: Int) throws(PageError) -> SharedMemory {
        guard size > 0, size % Host.pageSize == 0 else {
            throw .invalid("size", "size \(size) is \(size <= 0 ? "not positive" : "not a multiple of the page size \(Host.pageSize)")")
        }
        let memory = SharedMemory(name: name, size: size, file: try backend.createFile(name: name, size: size), space: self)
        sharedMemories.append(memory)
        return memory
    }

    /// Closes (unmaps) every region, then closes every shared memory, which frees its pages.
    /// Idempotent.
    public func releaseAll() {
        for region in regions {
            region.close()
        }
        for memory in sharedMemories {
            memory.close()
        }
    }

    /// Memory figures of the whole process: this one (host), or the simulated one (model);
    /// `proportional` adds Pss, which walks every page table.
    public func processStats(proportional: Bool = false) -> ProcessStats {
        var stats = backend.processStats(proportional: proportional, regions: regions)
        stats.source = backend.source
        return stats
    }

    /// Bytes charged to the budget by all live regions and shared memories.
    var chargedBytes: Int {
        regions.reduce(0) { $0 + $1.charged.count } + sharedMemories.reduce(0) { $0 + $1.allocated.count }
    }

    /// Throws `.budget` unless `charge` more bytes fit the budget (`CommitBudget.check`).
    func checkBudget(charge: Int, operation: @autoclosure () -> String) throws(PageError) {
        let charged = chargedBytes
        let available = memAvailable.available(toCharge: charge, reserve: budget.reserve, charged: charged)
        try budget.check(charge: charge, charged: charged, available: available, operation: operation())
    }

    /// Called by a closing region.
    func remove(_ region: Region) {
        regions.removeAll { $0 === region }
    }

    /// Called by a shared memory whose pages were freed.
    func remove(_ memory: SharedMemory) {
        sharedMemories.removeAll { $0 === memory }
    }
}
