import CPageSys
import Glibc

/// Where the page walk for an address of this process ends, as far as user space can see it: the
/// indexes the walker uses, and the leaf translation from /proc/self/pagemap (present or swapped,
/// the physical frame, the exclusive, soft-dirty, uffd-wp and guard bits), /proc/kpageflags (the
/// frame's flags) and PAGEMAP_SCAN (whether a PMD or PUD maps the page). The upper levels' entries
/// themselves (the physical addresses of the page tables) are not visible from user space.
public struct PageWalk: Sendable, Equatable {
    public let indexes: VirtualAddressIndexes
    /// The raw pagemap entry (Documentation/admin-guide/mm/pagemap.rst).
    public let entry: UInt64
    /// /proc/kpageflags of the frame, when there is a visible frame and the file can be read.
    public let frameFlags: UInt64?
    /// The size of the page that maps the address, when one does: a PMD leaf maps 2 MiB (a THP
    /// or a hugetlb page), a PUD leaf 1 GiB (hugetlb).
    public let pageSize: TLBPageSize?

    public var present: Bool { entry & 1 << 63 != 0 }
    public var swapped: Bool { entry & 1 << 62 != 0 }
    /// A file page or shared anonymous memory (also set for the huge zero page).
    public var fileOrShared: Bool { entry & 1 << 61 != 0 }
    /// A MADV_GUARD_INSTALL guard page.
    public var guardPage: Bool { entry & 1 << 58 != 0 }
    /// Write-protected by userfaultfd.
    public var userfaultWriteProtected: Bool { entry & 1 << 57 != 0 }
    /// Mapped by this process alone.
    public var exclusive: Bool { entry & 1 << 56 != 0 }
    public var softDirty: Bool { entry & 1 << 55 != 0 }

    /// The physical frame number; nil when not present or hidden (pagemap shows 0 without
    /// CAP_SYS_ADMIN).
    public var frame: UInt64? {
        let number = entry & (1 << 55 - 1)
        return present && number != 0 ? number : nil
    }

    /// The physical address the virtual address translates to.
    public var physicalAddress: UInt64? { frame.map { $0 << 12 | UInt64(indexes.offset) } }

    /// The table level whose entry maps the page: "pte", "pmd" or "pud".
    public var leaf: String? { pageSize.map { ["pte", "pmd", "pud"][$0.rawValue] } }

    /// Mapped to the shared zero page (or the huge zero page) by a read of untouched memory.
    public var zeroPage: Bool { frameFlags.map { $0 & 1 << Self.zeroPageFlag != 0 } ?? false }

    /// The names of the frame's kpageflags (include/uapi/linux/kernel-page-flags.h), lowest bit
    /// first.
    public var frameFlagNames: [String] {
        guard let flags = frameFlags else { return [] }
        return Self.flagNames.enumerated().compactMap { bit, name in flags & 1 << UInt64(bit) != 0 ? name : nil }
    }

    private static let flagNames = [
        "LOCKED", "ERROR", "REFERENCED", "UPTODATE", "DIRTY", "LRU", "ACTIVE", "SLAB", "WRITEBACK", "RECLAIM",
        "BUDDY", "MMAP", "ANON", "SWAPCACHE", "SWAPBACKED", "COMPOUND_HEAD", "COMPOUND_TAIL", "HUGE",
        "UNEVICTABLE", "HWPOISON", "NOPAGE", "KSM", "THP", "OFFLINE", "ZERO_PAGE", "IDLE", "PGTABLE",
    ]
    private static let hugetlbFlag: UInt64 = 17, thpFlag: UInt64 = 22, zeroPageFlag: UInt64 = 24

    /// Paging levels of this machine: 5 when the CPU has LA57 and the kernel uses it (it then
    /// lists the `la57` flag), else 4.
    public static let hostLevels: Int = {
        let cpuinfo = (try? Kernel.readText("/proc/cpuinfo")) ?? ""
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        return flags.split(separator: " ").contains("la57") ? 5 : 4
    }()

    /// Walks `address` in this process.
    public static func host(address: UInt64) throws(PageError) -> PageWalk {
        let indexes = try VirtualAddressIndexes(address: address, levels: hostLevels)
        let page = address / UInt64(Host.pageSize) * UInt64(Host.pageSize)
        let entry = try readWord("/proc/self/pagemap", at: Int(page / UInt64(Host.pageSize)) * 8)
        let number = entry & (1 << 55 - 1)
        let present = entry & 1 << 63 != 0
        let flags = present && number != 0 ? try? readWord("/proc/kpageflags", at: Int(number) * 8) : nil
        guard present else { return PageWalk(indexes: indexes, entry: entry, frameFlags: flags, pageSize: nil) }
        // A PMD or PUD leaf: PAGEMAP_SCAN says so directly; without it (before Linux 6.7), a THP
        // or hugetlb frame is taken as mapped whole.
        let huge = mappedByHugeEntry(page) ?? flags.map { $0 & (1 << thpFlag | 1 << hugetlbFlag) != 0 } ?? false
        var size = TLBPageSize.size4K
        if huge {
            let hugetlb = (flags ?? 0) & 1 << hugetlbFlag != 0
            let bytes = hugetlb ? kernelPageSize(of: address) : Host.thpPageSize
            size = TLBPageSize(bytes: bytes) ?? .size2M
        }
        return PageWalk(indexes: indexes, entry: entry, frameFlags: flags, pageSize: size)
    }

    private static func readWord(_ path: String, at offset: Int) throws(PageError) -> UInt64 {
        var word: UInt64 = 0
        do throws(Errno) {
            let fd = try Kernel.openReadOnly(path)
            defer { Kernel.close(fd) }
            let count = try withUnsafeMutableBytes(of: &word) { buffer throws(Errno) in try Kernel.read(fd, into: buffer, at: offset) }
            guard count == 8 else { throw Errno(code: EIO) }  // the file ended early
        } catch {
            throw .system(error, "cannot read \(path) at \(hex(offset))")
        }
        return word
    }

    /// Whether a PMD or PUD entry maps `page` (PAGEMAP_SCAN's PAGE_IS_HUGE); nil without the ioctl.
    private static func mappedByHugeEntry(_ page: UInt64) -> Bool? {
        guard let pagemap = try? Kernel.openReadOnly("/proc/self/pagemap") else { return nil }
        defer { Kernel.close(pagemap) }
        var region = cps_page_region()
        return withUnsafeMutablePointer(to: &region) { vector -> Bool? in
            var arg = cps_pm_scan_arg()
            arg.size = UInt64(MemoryLayout<cps_pm_scan_arg>.size)
            arg.start = page
            arg.end = page + UInt64(Host.pageSize)
            arg.vec = UInt64(UInt(bitPattern: vector))
            arg.vec_len = 1
            arg.category_anyof_mask = UInt64(CPS_PAGE_IS_PRESENT)
            arg.return_mask = UInt64(CPS_PAGE_IS_HUGE)
            guard let count = try? Kernel.pagemapScan(pagemap, &arg) else { return nil }
            return count == 1 && vector.pointee.categories & UInt64(CPS_PAGE_IS_HUGE) != 0
        }
    }

    /// smaps' KernelPageSize of the mapping holding `address` (the hugetlb page size there).
    private static func kernelPageSize(of address: UInt64) -> Int {
        guard let text = try? Kernel.readText("/proc/self/smaps") else { return Host.thpPageSize }
        return SmapsSummary(parsing: text, overlapping: UInt(address)..<UInt(address) + 1).kernelPageSize
    }
}
