extension HostBackend {
    /// Page statistics from the page tables (see `PageScanner`) and the region's bookkeeping; the
    /// node of each resident page from move_pages(2) when the host has more than one node.
    func stats(_ region: Region, _ span: Range<Int>) throws(PageError) -> PageStats {
        let scanner = try PageScanner.shared.get()
        var stats = PageStats(size: span.count, committed: region.protections.coverage(of: span))
        let nodes = Host.numaNodes
        var counter: NodeCounter? = nodes.count > 1 ? NodeCounter() : nil
        try scanner.scan(region.address(span.lowerBound)..<region.address(span.upperBound)) { run throws(PageError) in
            if region.count(run.state, run.addresses, into: &stats) { try counter?.add(run.addresses) }
        }
        if var counter {
            try counter.flush()
            stats.nodes = counter.bytes
        } else if stats.resident > 0 {
            stats.nodes = [nodes[0]: stats.resident]
        }
        return stats
    }

    func pageStates(_ region: Region, _ span: Range<Int>) throws(PageError) -> [PageState] {
        let scanner = try PageScanner.shared.get()
        let pageSize = region.pageSize
        var states = region.bookkeepingStates(span)
        let start = region.address(span.lowerBound)
        try scanner.scan(start..<region.address(span.upperBound)) { run throws(PageError) in
            let first = Int(run.addresses.lowerBound - start) / pageSize
            let end = Int(run.addresses.upperBound - start) / pageSize
            states[first..<end].withUnsafeMutableBufferPointer { $0.update(repeating: run.state) }
        }
        return states
    }
}
