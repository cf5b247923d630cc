extension Region {
    /// Page statistics of the region, or of a page-aligned range of it (offset 0 and the rest of
    /// the region by default), from the page tables (see `PageScanner`) and the bookkeeping.
    public func stats(offset: Int? = nil, length: Int? = nil) throws(PageError) -> PageStats {
        let span = try span(offset: offset, length: length)
        let scanner = try PageScanner.shared.get()
        var stats = PageStats(size: span.count, committed: protections.coverage(of: span))
        let nodes = Host.numaNodes
        var counter: NodeCounter? = nodes.count > 1 ? NodeCounter() : nil
        let hasLocks = !locked.segments.isEmpty
        try scanner.scan(address(span.lowerBound)..<address(span.upperBound)) { run throws(PageError) in
            let bytes = run.addresses.count
            switch run.state {
            case .zero:
                stats.zero += bytes
                return
            case .swapped:
                stats.swapped += bytes
                return
            case .huge:
                stats.huge += bytes
            default:
                break
            }
            stats.resident += bytes
            if hasLocks {
                let offsets = Int(run.addresses.lowerBound - base)..<Int(run.addresses.upperBound - base)
                stats.locked += locked.coverage(of: offsets)
            }
            try counter?.add(run.addresses)
        }
        if var counter {
            try counter.flush()
            stats.nodes = counter.bytes
        } else if stats.resident > 0 {
            stats.nodes = [nodes[0]: stats.resident]
        }
        return stats
    }

    /// The state of every base page of the range (offset 0 and the rest of the region by
    /// default), in order.
    public func pageStates(offset: Int? = nil, length: Int? = nil) throws(PageError) -> [PageState] {
        let span = try span(offset: offset, length: length)
        let scanner = try PageScanner.shared.get()
        let pageSize = self.pageSize
        var states = [PageState](repeating: .reserved, count: span.count / pageSize)
        for segment in protections.segments(overlapping: span) {
            states[(segment.range.lowerBound - span.lowerBound) / pageSize..<(segment.range.upperBound - span.lowerBound) / pageSize]
                .withUnsafeMutableBufferPointer { $0.update(repeating: .committed) }
        }
        let start = address(span.lowerBound)
        try scanner.scan(start..<address(span.upperBound)) { run throws(PageError) in
            let first = Int(run.addresses.lowerBound - start) / pageSize
            let end = Int(run.addresses.upperBound - start) / pageSize
            states[first..<end].withUnsafeMutableBufferPointer { $0.update(repeating: run.state) }
        }
        return states
    }
}
