/// The three x86-64 page sizes a translation can map: a PTE maps 4 KiB, a PMD leaf (THP or
/// hugetlb) 2 MiB, a PUD leaf (hugetlb only) 1 GiB. The raw value indexes per-size tables.
public enum TLBPageSize: Int, CaseIterable, Sendable {
    case size4K = 0, size2M = 1, size1G = 2

    /// log2 of the size: 12, 21 or 30.
    public var shift: Int { 12 + 9 * rawValue }

    public var bytes: Int { 1 << shift }

    /// "4K", "2M", "1G", as sizes are written elsewhere in PageLab.
    public var name: String { ByteSize.format(bytes) }

    /// The page-table level whose entry maps a page of this size, counting the PTE level as 1
    /// (Intel's numbering: 1 PT, 2 PD, 3 PDPT, 4 PML4, 5 PML5).
    public var leafLevel: Int { rawValue + 1 }

    /// The size of `bytes` bytes, if it is one of the three.
    public init?(bytes: Int) {
        guard let size = Self.allCases.first(where: { $0.bytes == bytes }) else { return nil }
        self = size
    }
}
