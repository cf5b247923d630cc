/// A virtual address as the page walker reads it: nine bits of index into the table of each
/// level, from the root down, and twelve bits of offset into the 4 KiB page. With 4-level paging
/// the levels are Linux's PGD (bits 47-39), PUD (38-30), PMD (29-21) and PTE (20-12); 5-level
/// paging (LA57) puts a new PGD (bits 56-48) on top and calls the old one P4D. Intel names the same
/// tables PML5, PML4, PDPT, PD and PT. A 2 MiB page ends the walk at the PMD, a 1 GiB page at the
/// PUD, with the lower bits as offset.
public struct VirtualAddressIndexes: Sendable, Equatable {
    public let address: UInt64
    /// 4 or 5.
    public let levels: Int
    /// The index into each table from the root: `levels` numbers, each 0...511.
    public let indexes: [Int]

    /// Splits `address`, which must be canonical for `levels`-level paging (the bits above the
    /// top index all equal to its highest bit, as the CPU requires).
    public init(address: UInt64, levels: Int) throws(PageError) {
        guard levels == 4 || levels == 5 else { throw .invalid("levels", "levels \(levels) is neither 4 nor 5") }
        let width = UInt64(12 + 9 * levels)
        let upper = address >> (width - 1)
        guard upper == 0 || upper == (UInt64.max >> (width - 1)) else {
            throw .invalid("address", "address \(hex(address)) is not canonical for \(levels)-level paging (bits 63-\(width - 1) differ)")
        }
        self.address = address
        self.levels = levels
        indexes = (0..<levels).map { level in Int(address >> (12 + 9 * UInt64(levels - 1 - level)) & 511) }
    }

    /// Linux's names for the levels, root first: "pgd", ("p4d",) "pud", "pmd", "pte".
    public var names: [String] {
        (levels == 5 ? ["pgd", "p4d"] : ["pgd"]) + ["pud", "pmd", "pte"]
    }

    /// Bits 11-0: the offset into a 4 KiB page.
    public var offset: Int { Int(address & 0xFFF) }

    /// The offset into a page of `size`.
    public func offset(in size: TLBPageSize) -> Int { Int(address & UInt64(size.bytes - 1)) }
}
