import Glibc

/// Where the model places reservations in its simulated user address space, as the kernel's
/// top-down allocator does: below the mmap base, the highest gap first, 2 MiB-aligned for sizes
/// that are multiples of 2 MiB (the kernel aligns such anonymous mappings for THP), and at a fixed
/// address only where nothing is mapped.
struct ModelAddressMap {
    /// Reserved ranges, sorted by address.
    private(set) var ranges: [Range<UInt>] = []
    /// The lowest address a mapping may use (vm.mmap_min_addr).
    static let lowest: UInt = 0x10000
    /// Where the top-down search starts, below the stack, as a 47-bit process's mmap_base.
    static let mmapBase: UInt = 0x7f00_0000_0000
    let limit: UInt

    init(limit: UInt) {
        self.limit = limit
    }

    /// Reserves `size` bytes at exactly `at`, or aligned to `align` below the mmap base.
    mutating func reserve(size: Int, at address: UInt?, align: Int) throws(PageError) -> UInt {
        let length = UInt(size)
        if let address {
            guard address >= Self.lowest, address <= limit, length <= limit - address else {
                throw PageError(.system(errno: ENOMEM), "cannot reserve \(ByteSize.format(size)) at \(hex(address)): "
                    + "outside the simulated user address space \(hex(Self.lowest))-\(hex(limit))")
            }
            let range = address..<address + length
            guard !ranges.contains(where: { $0.overlaps(range) }) else { throw Reservation.alreadyMapped(address, size) }
            insert(range)
            return address
        }
        var ceiling = min(Self.mmapBase, limit)
        for existing in ranges.reversed() + [Self.lowest..<Self.lowest] {
            if existing.upperBound < ceiling, ceiling - existing.upperBound >= length {
                let base = (ceiling - length) / UInt(align) * UInt(align)
                if base >= existing.upperBound, base >= Self.lowest {
                    insert(base..<base + length)
                    return base
                }
            }
            ceiling = min(ceiling, existing.lowerBound)
        }
        throw PageError(.system(errno: ENOMEM), "cannot reserve \(ByteSize.format(size)): "
            + "no gap that large below \(hex(Self.mmapBase)) in the simulated address space")
    }

    mutating func release(_ base: UInt) {
        ranges.removeAll { $0.lowerBound == base }
    }

    private mutating func insert(_ range: Range<UInt>) {
        let index = ranges.firstIndex { $0.lowerBound > range.lowerBound } ?? ranges.count
        ranges.insert(range, at: index)
    }
}
