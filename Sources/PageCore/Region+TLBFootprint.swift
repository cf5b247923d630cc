extension Region {
    /// A range of the region (all of it by default) as a TLB footprint, with the page sizes that
    /// map it now: pages resident in huge pages as 2 MiB pages (THP) or pages of the mapping's
    /// hugetlb size, every other page as 4 KiB — what a first touch maps where THP does not apply.
    /// (The huge zero page, which a read of THP-advised memory maps, counts as 4 KiB pages: the
    /// page scan tells it apart only as zero.)
    ///
    /// The page states are read 1 GiB at a time, cut at 1 GiB-aligned addresses so that no huge
    /// page straddles two reads: a reservation of terabytes needs no state per page at once.
    public func tlbFootprint(offset: Int? = nil, length: Int? = nil) throws(PageError) -> TLBFootprint {
        let range = try stats(offset: offset, length: length)  // checks the range, and the region is open
        let start = offset ?? 0, end = start + range.size
        let basePage = HostInfo.pageSize
        let hugetlbSize = try smaps().kernelPageSize
        let hugeSize = TLBPageSize(bytes: hugetlbSize > basePage ? hugetlbSize : Host.thpPageSize) ?? .size2M
        let pagesPerHuge = hugeSize.bytes / basePage
        let piece = UInt64(TLBPageSize.size1G.bytes)
        var extents: [TLBExtent] = []
        func append(_ address: UInt64, _ length: Int, _ size: TLBPageSize) {
            if let last = extents.last, last.pageSize == size, last.end == address {
                extents[extents.count - 1].length += length
            } else {
                extents.append(TLBExtent(address: address, length: length, pageSize: size))
            }
        }
        var pieceStart = start
        while pieceStart < end {
            let pieceAddress = UInt64(base) + UInt64(pieceStart)
            let pieceEnd = min(end, Int((pieceAddress / piece + 1) * piece - UInt64(base)))
            let states = try pageStates(offset: pieceStart, length: pieceEnd - pieceStart)
            var index = 0
            while index < states.count {
                let address = pieceAddress + UInt64(index * basePage)
                if address % UInt64(hugeSize.bytes) == 0, index + pagesPerHuge <= states.count,
                   states[index..<(index + pagesPerHuge)].allSatisfy({ $0 == .huge }) {
                    append(address, hugeSize.bytes, hugeSize)
                    index += pagesPerHuge
                } else {
                    // 4K pages up to the first aligned place after them where a huge page may start.
                    var next = states.count
                    if let huge = states[(index + 1)...].firstIndex(of: .huge) {
                        let hugeAddress = pieceAddress + UInt64(huge * basePage)
                        let aligned = (hugeAddress + UInt64(hugeSize.bytes) - 1) / UInt64(hugeSize.bytes) * UInt64(hugeSize.bytes)
                        next = min(states.count, Int((aligned - pieceAddress) / UInt64(basePage)))
                    }
                    append(address, (next - index) * basePage, .size4K)
                    index = next
                }
            }
            pieceStart = pieceEnd
        }
        return try TLBFootprint(extents)
    }
}
