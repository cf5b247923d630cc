import Glibc

/// Reserving address space as HotSpot's `os::reserve_memory` and `os::reserve_memory_aligned`
/// do (os_linux.cpp): `mmap(PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE)`, which takes
/// neither memory nor commit charge. Every failure leaves nothing mapped.
enum Reservation {
    /// Reserves `size` bytes, at exactly `at` if given (`MAP_FIXED_NOREPLACE`, never replacing a
    /// mapping), else at a multiple of `align` if given, else where the kernel likes. With
    /// `hugePageSize`, maps hugetlb memory instead (see `reserveHugetlb`). Returns the base address.
    static func reserve(size: Int, at address: UInt?, align: Int?, hugePageSize: Int? = nil) throws(PageError) -> UInt {
        // The pools are read only for a hugetlb request: sysfs costs ~14 system calls a read.
        let offered = hugePageSize == nil ? [] : Array(Host.readHugetlbPools().keys)
        try validate(size: size, at: address, align: align, hugePageSize: hugePageSize, offered: offered)
        if let hugePageSize {
            return try reserveHugetlb(size: size, at: address, pageSize: hugePageSize)
        }
        if let address {
            return try reserve(size: size, exactlyAt: address)
        }
        if let align, align > Host.pageSize {
            return try reserve(size: size, alignedTo: align)
        }
        return try map(size: size, at: 0, flags: 0)
    }

    /// The checks both backends make before reserving: sizes, alignment, hugetlb page size among
    /// those `offered`.
    static func validate(size: Int, at address: UInt?, align: Int?, hugePageSize: Int?, offered: [Int]) throws(PageError) {
        let pageSize = Host.pageSize
        guard size > 0 else { throw .invalid("size", "size \(size) is not positive") }
        guard size % pageSize == 0 else {
            throw .invalid("size", "size \(size) is not a multiple of the page size \(pageSize)")
        }
        if let align, align < pageSize || align & (align - 1) != 0 {
            throw .invalid("align", "align \(align) is not a power of two of at least the page size \(pageSize)")
        }
        if let address {
            let unit = align ?? hugePageSize ?? pageSize
            guard address % UInt(unit) == 0 else {
                let name = align != nil ? "align" : hugePageSize != nil ? "the hugetlb page size" : "the page size"
                throw .invalid("at", "address \(hex(address)) is not a multiple of \(name) \(unit)")
            }
            guard !address.addingReportingOverflow(UInt(size)).overflow else {
                throw .invalid("at", "address range \(hex(address))+\(hex(size)) wraps around")
            }
        }
        guard let hugePageSize else { return }
        guard offered.contains(hugePageSize) else {
            let sizes = offered.sorted().map(ByteSize.format).joined(separator: ", ")
            throw .invalid("hugetlb", "hugetlb page size \(ByteSize.format(hugePageSize)) is not offered (sizes: \(sizes.isEmpty ? "none" : sizes))")
        }
        guard size % hugePageSize == 0 else {
            throw .invalid("size", "size \(ByteSize.format(size)) is not a multiple of the hugetlb page size \(ByteSize.format(hugePageSize))")
        }
    }

    /// Maps `size` bytes of hugetlb pages, readable and writable, as HotSpot's
    /// `os::reserve_memory_special` does: without MAP_NORESERVE, so the kernel reserves the pool
    /// pages now and fails with ENOMEM when the pool has too few free ones.
    private static func reserveHugetlb(size: Int, at address: UInt?, pageSize: Int) throws(PageError) -> UInt {
        let flags = MAP_HUGETLB | Int32(pageSize.trailingZeroBitCount) << MAP_HUGE_SHIFT | (address != nil ? MAP_FIXED_NOREPLACE : 0)
        let base: UInt
        do throws(Errno) {
            base = try Kernel.mapAnonymous(at: address ?? 0, length: size, protection: PROT_READ | PROT_WRITE, flags: flags)
        } catch let error where error.code == EEXIST {
            throw alreadyMapped(address ?? 0, size)
        } catch let error where error.code == ENOMEM {
            let pool = Host.readHugetlbPools()[pageSize] ?? (0, 0)
            throw PageError(.system(errno: ENOMEM), "cannot reserve \(ByteSize.format(size)) of \(ByteSize.format(pageSize)) hugetlb pages: "
                + "it needs \(size / pageSize) free pages and the pool has \(pool.free) of \(pool.total) "
                + "(/sys/kernel/mm/hugepages/hugepages-\(pageSize / 1024)kB/nr_hugepages)")
        } catch {
            throw .system(error, "cannot reserve \(ByteSize.format(size)) of \(ByteSize.format(pageSize)) hugetlb pages: mmap")
        }
        if let address, base != address {
            try? Kernel.unmap(base, length: size)
            throw .invalid("at", "the kernel ignored MAP_FIXED_NOREPLACE and offered \(hex(base)) instead of \(hex(address))")
        }
        return base
    }

    private static func reserve(size: Int, exactlyAt address: UInt) throws(PageError) -> UInt {
        let base: UInt
        do throws(Errno) {
            base = try Kernel.mapAnonymous(at: address, length: size, protection: PROT_NONE,
                                           flags: MAP_NORESERVE | MAP_FIXED_NOREPLACE)
        } catch let error where error.code == EEXIST {
            throw alreadyMapped(address, size)
        } catch {
            throw .system(error, "cannot reserve \(ByteSize.format(size)) at \(hex(address)): mmap")
        }
        guard base == address else {
            // Kernels before 4.17 take MAP_FIXED_NOREPLACE as a mere hint.
            try? Kernel.unmap(base, length: size)
            throw .invalid("at", "the kernel ignored MAP_FIXED_NOREPLACE and offered \(hex(base)) instead of \(hex(address))")
        }
        return base
    }

    static func alreadyMapped(_ address: UInt, _ size: Int) -> PageError {
        .invalid("at", "address range \(hex(address))-\(hex(address + UInt(size))) is already mapped")
    }

    /// Over-reserves by `align` and trims the unaligned head and the tail.
    private static func reserve(size: Int, alignedTo align: Int) throws(PageError) -> UInt {
        let (extended, overflow) = size.addingReportingOverflow(align)
        guard !overflow else { throw .invalid("align", "size \(size) plus align \(align) overflows") }
        let raw = try map(size: extended, at: 0, flags: 0)
        let rawEnd = raw + UInt(extended)
        let base = (raw + UInt(align) - 1) & ~(UInt(align) - 1)
        let end = base + UInt(size)
        do throws(Errno) {
            if base > raw { try Kernel.unmap(raw, length: Int(base - raw)) }
            if rawEnd > end { try Kernel.unmap(end, length: Int(rawEnd - end)) }
        } catch {
            // Unmapping the whole range never needs a new VMA, so it cannot fail like a trim.
            try? Kernel.unmap(raw, length: extended)
            throw .system(error, "cannot trim the aligned reservation of \(ByteSize.format(size)): munmap")
        }
        return base
    }

    private static func map(size: Int, at address: UInt, flags: Int32) throws(PageError) -> UInt {
        do throws(Errno) {
            return try Kernel.mapAnonymous(at: address, length: size, protection: PROT_NONE, flags: MAP_NORESERVE | flags)
        } catch {
            throw .system(error, "cannot reserve \(ByteSize.format(size)): mmap")
        }
    }
}
