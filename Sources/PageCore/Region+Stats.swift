extension Region {
    /// Page statistics of the region, or of a page-aligned range of it (offset 0 and the rest of
    /// the region by default): measured from the page tables on the host, simulated on the model.
    public func stats(offset: Int? = nil, length: Int? = nil) throws(PageError) -> PageStats {
        let span = try span(offset: offset, length: length)
        var stats = try backend.stats(self, span)
        stats.source = backend.source
        return stats
    }

    /// The state of every base page of the range (offset 0 and the rest of the region by
    /// default), in order.
    public func pageStates(offset: Int? = nil, length: Int? = nil) throws(PageError) -> [PageState] {
        let span = try span(offset: offset, length: length)
        return try backend.pageStates(self, span)
    }

    /// Counts a run of pages found in `addresses` into `stats`: zero, swapped, or resident (huge
    /// ones also in `huge`, those in locked ranges also in `locked`). Returns whether the run is
    /// resident, for the backends that then look up its node.
    func count(_ state: PageState, _ addresses: Range<UInt>, into stats: inout PageStats) -> Bool {
        let bytes = addresses.count
        switch state {
        case .zero:
            stats.zero += bytes
            return false
        case .swapped:
            stats.swapped += bytes
            return false
        case .huge:
            stats.huge += bytes
        case .resident, .committed, .reserved:
            break
        }
        stats.resident += bytes
        if !locked.segments.isEmpty {
            stats.locked += locked.coverage(of: Int(addresses.lowerBound - base)..<Int(addresses.upperBound - base))
        }
        return true
    }

    /// What the bookkeeping alone says of each page of `span`: committed or reserved. Backends
    /// overwrite the pages they find present.
    func bookkeepingStates(_ span: Range<Int>) -> [PageState] {
        var states = [PageState](repeating: .reserved, count: span.count / pageSize)
        for segment in protections.segments(overlapping: span) {
            states[(segment.range.lowerBound - span.lowerBound) / pageSize..<(segment.range.upperBound - span.lowerBound) / pageSize]
                .withUnsafeMutableBufferPointer { $0.update(repeating: .committed) }
        }
        return states
    }
}
