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
    /// Which backend this space lives on.
    public let kind: Backend
    let backend: MemoryBackend
    /// Called after every memory operation on one of the space's regions, with the operation's
    /// name: how a driver follows what models built on PageCore (the JVM's) do to memory.
    public var observer: ((Region, String) -> Void)?
    /// Numbers default names: region-1, region-2, ...
    private var reservations = 0

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

    /// Closes (unmaps) every region. Idempotent.
    public func releaseAll() {
        for region in regions {
            region.close()
        }
    }

    /// Memory figures of the whole process: this one (host), or the simulated one (model).
    public func processStats() -> ProcessStats {
        var stats = backend.processStats()
        stats.source = backend.source
        return stats
    }

    /// Bytes charged to the budget by all live regions.
    var chargedBytes: Int {
        regions.reduce(0) { $0 + $1.charged.count }
    }

    /// Called by a closing region.
    func remove(_ region: Region) {
        regions.removeAll { $0 === region }
    }
}
