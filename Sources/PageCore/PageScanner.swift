import CPageSys

/// Pages of one state in a row, as a scan reports them (only present or swapped pages).
struct PageRun {
    var addresses: Range<UInt>
    var state: PageState
}

/// Reads the states of this process's pages from its page tables.
enum PageScanner: Sendable {
    /// The PAGEMAP_SCAN ioctl (Linux 6.7+): runs of pages straight from the kernel, about 6 ns
    /// per present 4 KiB page and next to nothing for absent or huge ranges (linux-kernel.md §7).
    case scanIoctl(pagemap: Int32)
    /// /proc/self/pagemap entries (present, swapped, PFN), with /proc/kpageflags telling the zero
    /// page and huge pages apart; both need CAP_SYS_ADMIN for PFNs. Without them every present
    /// page counts as resident.
    case pagemapFile(pagemap: Int32, kpageflags: Int32?)

    /// The best scanner this kernel offers, set up once; or why there is none.
    static let shared: Result<PageScanner, PageError> = Result { () throws(PageError) in try best() }

    private static func best() throws(PageError) -> PageScanner {
        let file = try pagemapFile()
        guard case .pagemapFile(let pagemap, _) = file else { return file }
        let ioctl = PageScanner.scanIoctl(pagemap: pagemap)
        // Any mapped page will do for the probe.
        let probe = UnsafeMutableRawPointer.allocate(byteCount: Host.pageSize, alignment: Host.pageSize)
        defer { probe.deallocate() }
        let start = UInt(bitPattern: probe)
        do throws(PageError) {
            try ioctl.scan(start..<start + UInt(Host.pageSize)) { _ in }
            return ioctl
        } catch {
            return file
        }
    }

    /// The pagemap-file scanner, whatever the kernel offers besides.
    static func pagemapFile() throws(PageError) -> PageScanner {
        let pagemap: Int32
        do throws(Errno) {
            pagemap = try Kernel.openReadOnly("/proc/self/pagemap")
        } catch {
            throw .system(error, "cannot open /proc/self/pagemap")
        }
        return .pagemapFile(pagemap: pagemap, kpageflags: try? Kernel.openReadOnly("/proc/kpageflags"))
    }

    /// Calls `visit` with the runs of present or swapped pages in `addresses` (page-aligned), in
    /// address order.
    func scan(_ addresses: Range<UInt>, _ visit: (PageRun) throws(PageError) -> Void) throws(PageError) {
        switch self {
        case .scanIoctl(let pagemap):
            try Self.scanWithIoctl(pagemap, addresses, visit)
        case .pagemapFile(let pagemap, let kpageflags):
            try Self.scanFile(pagemap, kpageflags, addresses, visit)
        }
    }

    // MARK: PAGEMAP_SCAN

    private static let regionCapacity = 1024

    private static func scanWithIoctl(_ pagemap: Int32, _ addresses: Range<UInt>,
                                      _ visit: (PageRun) throws(PageError) -> Void) throws(PageError) {
        let regions = UnsafeMutablePointer<cps_page_region>.allocate(capacity: regionCapacity)
        defer { regions.deallocate() }
        let present = UInt64(CPS_PAGE_IS_PRESENT), swapped = UInt64(CPS_PAGE_IS_SWAPPED)
        let zero = UInt64(CPS_PAGE_IS_PFNZERO), huge = UInt64(CPS_PAGE_IS_HUGE)
        var arg = cps_pm_scan_arg()
        arg.size = UInt64(MemoryLayout<cps_pm_scan_arg>.size)
        arg.start = UInt64(addresses.lowerBound)
        arg.end = UInt64(addresses.upperBound)
        arg.vec = UInt64(UInt(bitPattern: regions))
        arg.vec_len = UInt64(regionCapacity)
        arg.category_anyof_mask = present | swapped
        arg.return_mask = present | swapped | zero | huge
        while arg.start < arg.end {
            let count: Int
            do throws(Errno) {
                count = try Kernel.pagemapScan(pagemap, &arg)
            } catch {
                throw .system(error, "cannot scan pages \(hex(arg.start))-\(hex(arg.end)): PAGEMAP_SCAN")
            }
            var reported = arg.start
            for region in UnsafeBufferPointer(start: regions, count: count) {
                let categories = region.categories
                let state: PageState = if categories & present == 0 { .swapped }
                    else if categories & zero != 0 { .zero }
                    else if categories & huge != 0 { .huge }
                    else { .resident }
                try visit(PageRun(addresses: UInt(region.start)..<UInt(region.end), state: state))
                reported = region.end
            }
            // When the vector fills up on the last page of a page table, Linux 6.18 can report a
            // walk_end before the end of the regions it returned; resuming there would report
            // those pages twice.
            let resume = max(arg.walk_end, reported)
            precondition(resume > arg.start, "PAGEMAP_SCAN made no progress")
            arg.start = resume
        }
    }

    // MARK: pagemap + kpageflags

    private static let entriesPerRead = 4096
    private static let presentBit: UInt64 = 1 << 63
    private static let swappedBit: UInt64 = 1 << 62
    private static let pfnMask: UInt64 = (1 << 55) - 1
    /// /proc/kpageflags bits (include/uapi/linux/kernel-page-flags.h).
    private static let kpfHuge: UInt64 = 1 << 17, kpfTHP: UInt64 = 1 << 22, kpfZeroPage: UInt64 = 1 << 24

    private static func scanFile(_ pagemap: Int32, _ kpageflags: Int32?, _ addresses: Range<UInt>,
                                 _ visit: (PageRun) throws(PageError) -> Void) throws(PageError) {
        let pageSize = UInt(Host.pageSize)
        let entries = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: entriesPerRead)
        let flags = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: entriesPerRead)
        defer { entries.deallocate(); flags.deallocate() }
        var pending: PageRun?
        var page = addresses.lowerBound / pageSize
        let endPage = addresses.upperBound / pageSize
        while page < endPage {
            let count = min(entriesPerRead, Int(endPage - page))
            try read(pagemap, into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(entries)[..<(count * 8)]),
                     at: Int(page) * 8, what: "/proc/self/pagemap")
            try readFlags(kpageflags, of: entries[..<count], into: flags)
            for index in 0..<count {
                let entry = entries[index], pageFlags = flags[index]
                let state: PageState? = if entry & presentBit == 0 { entry & swappedBit != 0 ? .swapped : nil }
                    else if pageFlags & kpfZeroPage != 0 { .zero }
                    else if pageFlags & (kpfTHP | kpfHuge) != 0 { .huge }
                    else { .resident }
                let address = (page + UInt(index)) * pageSize
                if let run = pending, run.state == state, run.addresses.upperBound == address {
                    pending?.addresses = run.addresses.lowerBound..<address + pageSize
                    continue
                }
                if let run = pending { try visit(run) }
                pending = state.map { PageRun(addresses: address..<address + pageSize, state: $0) }
            }
            page += UInt(count)
        }
        if let run = pending { try visit(run) }
    }

    /// Fills `flags` with the kpageflags of each present entry, reading PFN-contiguous runs
    /// (a THP's pages, neighbours from one allocation) with one pread each, and the flags of the
    /// shared zero page (one PFN, mapped at many addresses) once; 0 where unknown.
    private static func readFlags(_ kpageflags: Int32?, of entries: Slice<UnsafeMutableBufferPointer<UInt64>>,
                                  into flags: UnsafeMutableBufferPointer<UInt64>) throws(PageError) {
        var zeroPage: UInt64?
        var index = 0
        while index < entries.count {
            let pfn = entries[index] & pfnMask
            guard let kpageflags, entries[index] & presentBit != 0, pfn != 0 else {
                flags[index] = 0
                index += 1
                continue
            }
            if pfn == zeroPage {
                flags[index] = kpfZeroPage
                index += 1
                continue
            }
            var end = index + 1
            while end < entries.count, entries[end] & presentBit != 0, entries[end] & pfnMask == pfn + UInt64(end - index) {
                end += 1
            }
            let target = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(flags)[(index * 8)..<(end * 8)])
            try read(kpageflags, into: target, at: Int(pfn) * 8, what: "/proc/kpageflags")
            if end == index + 1, flags[index] & kpfZeroPage != 0 { zeroPage = pfn }
            index = end
        }
    }

    private static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, what: String) throws(PageError) {
        let count: Int
        do throws(Errno) {
            count = try Kernel.read(fd, into: buffer, at: offset)
        } catch {
            throw .system(error, "cannot read \(what) at \(hex(offset))")
        }
        guard count == buffer.count else {
            throw PageError(.system(errno: 0), "short read of \(what) at \(hex(offset)): \(count) of \(buffer.count) bytes")
        }
    }
}
