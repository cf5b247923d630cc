extension Region {
    /// A range of the region (all of it by default) as a TLB footprint, with the page sizes that
    /// map it now: pages resident in huge pages as 2 MiB pages (THP) or pages of the mapping's
    /// hugetlb size, every other page as 4 KiB — what a first touch maps where THP does not apply.
    /// (The huge zero page, which a read of THP-advised memory maps, counts as 4 KiB pages: the
    /// page scan tells it apart only as zero.)
    public func tlbFootprint(offset: Int? = nil, length: Int? = nil) throws(PageError) -> TLBFootprint {
        let start = offset ?? 0
        let states = try pageStates(offset: offset, length: length)
        let basePage = HostInfo.pageSize
        let hugetlbSize = try smaps().kernelPageSize
        let hugeSize = TLBPageSize(bytes: hugetlbSize > basePage ? hugetlbSize : Host.thpPageSize) ?? .size2M
        let pagesPerHuge = hugeSize.bytes / basePage
        var extents: [TLBExtent] = []
        func append(_ address: UInt64, _ length: Int, _ size: TLBPageSize) {
            if let last = extents.last, last.pageSize == size, last.end == address {
                extents[extents.count - 1].length += length
            } else {
                extents.append(TLBExtent(address: address, length: length, pageSize: size))
            }
        }
        var index = 0
        while index < states.count {
            let address = UInt64(base) + UInt64(start + index * basePage)
            let aligned = address % UInt64(hugeSize.bytes) == 0
            if aligned, index + pagesPerHuge <= states.count,
               states[index..<(index + pagesPerHuge)].allSatisfy({ $0 == .huge }) {
                append(address, hugeSize.bytes, hugeSize)
                index += pagesPerHuge
            } else {
                append(address, basePage, .size4K)
                index += 1
            }
        }
        return try TLBFootprint(extents)
    }
}
