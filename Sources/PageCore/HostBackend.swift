import CPageSys
import Glibc

/// The host backend: every operation is the system call HotSpot makes (os_linux.cpp) on this
/// process's memory, and every figure is read back from the kernel.
final class HostBackend: MemoryBackend {
    var source: FigureSource { .measured }
    var enforcesBudget: Bool { true }
    private(set) lazy var topology = NUMATopology.host()

    func measure(_ body: () throws(PageError) -> Void) throws(PageError) -> OpResult {
        try OpResult.measure(body)
    }

    func reserve(size: Int, options: ReserveOptions) throws(PageError) -> UInt {
        try Reservation.reserve(size: size, at: options.at, align: options.align, hugePageSize: options.hugePageSize)
    }

    func release(_ region: Region) {
        do throws(Errno) {
            try Kernel.unmap(region.base, length: region.size)
        } catch {
            // Unmapping a whole mapping of our own only fails if our bookkeeping is wrong.
            preconditionFailure("munmap of region '\(region.name)' failed: \(error.text)")
        }
    }

    func mapCommitted(_ region: Region, _ span: Range<Int>, _ protection: Protection) throws(PageError) {
        do throws(Errno) {
            _ = try Kernel.mapAnonymous(at: region.address(span.lowerBound), length: span.count,
                                        protection: protection.flags, flags: MAP_FIXED)
        } catch {
            throw .system(error, "cannot commit region '\(region.name)' range \(region.describe(span)): mmap")
        }
    }

    func mapReserved(_ region: Region, _ span: Range<Int>) throws(PageError) {
        do throws(Errno) {
            _ = try Kernel.mapAnonymous(at: region.address(span.lowerBound), length: span.count,
                                        protection: PROT_NONE, flags: MAP_FIXED | MAP_NORESERVE)
        } catch {
            throw .system(error, "cannot uncommit region '\(region.name)' range \(region.describe(span)): mmap")
        }
    }

    func protect(_ region: Region, _ span: Range<Int>, _ protection: Protection) throws(PageError) {
        do throws(Errno) {
            try Kernel.protect(region.address(span.lowerBound), length: span.count, protection.flags)
        } catch {
            throw .system(error, "cannot protect region '\(region.name)' range \(region.describe(span)) \(protection.rawValue): mprotect")
        }
    }

    func advise(_ region: Region, _ span: Range<Int>, _ advice: Advice) throws(PageError) {
        do throws(Errno) {
            try Kernel.advise(region.address(span.lowerBound), length: span.count, advice.value)
        } catch {
            let protections = Set(region.protections.segments(overlapping: span).map(\.value.rawValue)).sorted()
            let hint = protections.isEmpty ? "" : " (range protection: \(protections.joined(separator: ", ")))"
            throw .system(error, "cannot advise \(advice.rawValue) on region '\(region.name)' range \(region.describe(span)): madvise\(hint)")
        }
    }

    /// Bytes a touch worker claims at a time, and the interval between its interrupt checks:
    /// HotSpot's PreTouchParallelChunkSize on Linux (4 MiB).
    static let touchChunk = 4 << 20

    func touch(_ region: Region, _ span: Range<Int>, _ options: TouchOptions) throws(PageError) {
        let stride = options.stride ?? region.pageSize
        try withThreadsOn(options.node) { () throws(PageError) in
            var outcome = cps_touch_result()
            cps_touch(UnsafeMutableRawPointer(bitPattern: region.address(span.lowerBound)), span.count, stride,
                      options.write, Int32(options.threads), Self.touchChunk, &outcome)
            try check(outcome, region, span)
        }
    }

    func touch(_ region: Region, pages: [Int], write: Bool) throws(PageError) {
        let pageSize = region.pageSize
        for (index, page) in pages.enumerated() {
            if index % 4096 == 0, Interrupt.isPending { throw .interrupted }
            var outcome = cps_touch_result()
            cps_touch(UnsafeMutableRawPointer(bitPattern: region.address(page * pageSize)), pageSize, pageSize,
                      write, 1, pageSize, &outcome)
            try check(outcome, region, page * pageSize..<(page + 1) * pageSize)
        }
    }

    private func check(_ outcome: cps_touch_result, _ region: Region, _ span: Range<Int>) throws(PageError) {
        switch outcome.status {
        case CPS_TOUCH_DONE:
            return
        case CPS_TOUCH_FAULT:
            let signal = outcome.fault_signal == SIGBUS ? "SIGBUS" : "SIGSEGV"
            throw region.faultError(at: Int(outcome.fault_address - region.base), signal: signal,
                                    address: outcome.fault_address)
        case CPS_TOUCH_INTERRUPTED:
            throw .interrupted
        default:
            throw .system(Errno(code: outcome.error),
                          "cannot touch region '\(region.name)' range \(region.describe(span)): cannot set up worker threads or the fault trap")
        }
    }

    func lock(_ region: Region, _ span: Range<Int>) throws(PageError) {
        do throws(Errno) {
            try Kernel.lock(region.address(span.lowerBound), length: span.count)
        } catch {
            throw .system(error, "cannot lock region '\(region.name)' range \(region.describe(span)): mlock\(Self.lockHint(error))")
        }
    }

    func unlock(_ region: Region, _ span: Range<Int>) throws(PageError) {
        do throws(Errno) {
            try Kernel.unlock(region.address(span.lowerBound), length: span.count)
        } catch {
            throw .system(error, "cannot unlock region '\(region.name)' range \(region.describe(span)): munlock")
        }
    }

    private static func lockHint(_ error: Errno) -> String {
        switch error.code {
        case ENOMEM, EPERM: " (RLIMIT_MEMLOCK, `ulimit -l`, limits locked memory unless run as root)"
        case EAGAIN: " (some pages could not be locked)"
        default: ""
        }
    }

    func smaps(_ region: Region) throws(PageError) -> SmapsSummary {
        let text: String
        do throws(Errno) {
            text = try Kernel.readText("/proc/self/smaps")
        } catch {
            throw PageError(.system(errno: error.code), "cannot read /proc/self/smaps: \(error.text)")
        }
        return SmapsSummary(parsing: text, overlapping: region.base..<(region.base + UInt(region.size)))
    }

    func processStats(proportional: Bool, regions: [Region]) -> ProcessStats {
        ProcessStats.current(proportional: proportional)
    }

    func createFile(name: String, size: Int) throws(PageError) -> MemoryFile {
        try HostMemoryFile(name: name, size: size)
    }

    func mapView(_ region: Region, _ span: Range<Int>, of file: MemoryFile, at fileOffset: Int,
                 _ protection: Protection) throws(PageError) {
        do throws(Errno) {
            try Kernel.mapShared(at: region.address(span.lowerBound), length: span.count, protection: protection.flags,
                                 fd: (file as! HostMemoryFile).fd, offset: fileOffset)
        } catch {
            throw .system(error, "cannot map a view over region '\(region.name)' range \(region.describe(span)): mmap")
        }
    }
}
