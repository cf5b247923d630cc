import CPageSys

extension Region {
    /// Accesses the range once every `stride` bytes as HotSpot's pretouch does (see `cps_touch`),
    /// after checking the commit budget. Nothing is checked about commitment: a touch of
    /// reserved or protected memory faults, and the fault becomes an error that names the region,
    /// the offset and the protection there.
    @discardableResult
    public func touch(offset: Int, length: Int, options: TouchOptions = TouchOptions()) throws(PageError) -> OpResult {
        let span = try span(offset: offset, length: length)
        let stride = options.stride ?? pageSize
        guard stride > 0 else { throw .invalid("stride", "stride \(stride) is not positive") }
        let maximumThreads = Int(CPS_TOUCH_MAX_THREADS)
        guard (1...maximumThreads).contains(options.threads) else {
            throw .invalid("threads", "threads \(options.threads) is not between 1 and \(maximumThreads)")
        }
        if let node = options.node { try backend.topology.requireNode(node, parameter: "node") }
        try requireAllocatedViews(span, "touch")
        let footprint = try chargeBudget("touch", span)
        defer { recordCharge(footprint) }
        return try perform("touch") { () throws(PageError) in try backend.touch(self, span, options) }
    }

    /// Accesses one byte of each of the given pages (indexes of base pages from the start of the
    /// region), in the order given: scattered first touches, such as a random access pattern's.
    @discardableResult
    public func touch(pages: [Int], write: Bool = true) throws(PageError) -> OpResult {
        _ = try span(offset: nil, length: nil)  // only to refuse a closed region
        let count = size / pageSize
        if let bad = pages.first(where: { !(0..<count).contains($0) }) {
            throw .invalid("pages", "page \(bad) is outside region '\(name)' (\(count) pages)")
        }
        if !views.segments.isEmpty {
            for page in pages { try requireAllocatedViews(page * pageSize..<(page + 1) * pageSize, "touch") }
        }
        var footprint = RangeSet()
        if backend.enforcesBudget {
            var runs: [Range<Int>] = []
            for page in Set(pages).sorted() {
                let start = page * pageSize
                if let last = runs.last, last.upperBound == start {
                    runs[runs.count - 1] = last.lowerBound..<start + pageSize
                } else {
                    runs.append(start..<start + pageSize)
                }
            }
            footprint = try chargeBudget("touch", spans: runs)
        }
        defer { recordCharge(footprint) }
        return try perform("touch") { () throws(PageError) in try backend.touch(self, pages: pages, write: write) }
    }
}
