/// A set of named regions of this process's address space, with one commit budget shared by all
/// of them. One per scenario; releasing it (or `releaseAll`) unmaps everything.
public final class AddressSpace {
    /// The limit on memory the regions may make resident; see `CommitBudget`.
    public var budget: CommitBudget
    /// Live regions, in reservation order.
    public private(set) var regions: [Region] = []
    /// Numbers default names: region-1, region-2, ...
    private var reservations = 0

    public init(budget: CommitBudget = .standard()) {
        self.budget = budget
    }

    deinit {
        releaseAll()
    }

    /// Reserves `size` bytes of address space (a positive multiple of the page size) without
    /// committing any: see `Reservation` and `ReserveOptions`.
    public func reserve(size: Int, options: ReserveOptions = ReserveOptions()) throws(PageError) -> Region {
        let base = try Reservation.reserve(size: size, at: options.at, align: options.align)
        reservations += 1
        let region = Region(name: options.name ?? "region-\(reservations)", base: base, size: size,
                            executable: options.exec, space: self)
        regions.append(region)
        return region
    }

    /// Closes (unmaps) every region. Idempotent.
    public func releaseAll() {
        for region in regions {
            region.close()
        }
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
