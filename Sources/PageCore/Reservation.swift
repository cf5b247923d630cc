import Glibc

/// Reserving address space as HotSpot's `os::reserve_memory` and `os::reserve_memory_aligned`
/// do (os_linux.cpp): `mmap(PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE)`, which takes
/// neither memory nor commit charge. Every failure leaves nothing mapped.
enum Reservation {
    /// Reserves `size` bytes, at exactly `at` if given (`MAP_FIXED_NOREPLACE`, never replacing a
    /// mapping), else at a multiple of `align` if given, else where the kernel likes.
    /// Returns the base address.
    static func reserve(size: Int, at address: UInt?, align: Int?) throws(PageError) -> UInt {
        let pageSize = Host.pageSize
        guard size > 0 else { throw .invalid("size", "size \(size) is not positive") }
        guard size % pageSize == 0 else {
            throw .invalid("size", "size \(size) is not a multiple of the page size \(pageSize)")
        }
        if let align, align < pageSize || align & (align - 1) != 0 {
            throw .invalid("align", "align \(align) is not a power of two of at least the page size \(pageSize)")
        }
        if let address {
            return try reserve(size: size, exactlyAt: address, align: align ?? pageSize)
        }
        if let align, align > pageSize {
            return try reserve(size: size, alignedTo: align)
        }
        return try map(size: size, at: 0, flags: 0)
    }

    private static func reserve(size: Int, exactlyAt address: UInt, align: Int) throws(PageError) -> UInt {
        guard address % UInt(align) == 0 else {
            let unit = align == Host.pageSize ? "the page size" : "align"
            throw .invalid("at", "address \(hex(address)) is not a multiple of \(unit) \(align)")
        }
        let (end, overflow) = address.addingReportingOverflow(UInt(size))
        guard !overflow else { throw .invalid("at", "address range \(hex(address))+\(hex(size)) wraps around") }
        let base: UInt
        do throws(Errno) {
            base = try Kernel.mapAnonymous(at: address, length: size, protection: PROT_NONE,
                                           flags: MAP_NORESERVE | MAP_FIXED_NOREPLACE)
        } catch let error where error.code == EEXIST {
            throw .invalid("at", "address range \(hex(address))-\(hex(end)) is already mapped")
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
