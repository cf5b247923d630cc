import CPageSys
import Glibc

/// Whether this host can measure something, and why (or why not), for `pagelab doctor`.
public struct Capability: Sendable, Equatable {
    /// What was probed, e.g. "PAGEMAP_SCAN".
    public var name: String
    public var available: Bool
    /// A short reason: what works, or why not.
    public var detail: String

    public init(name: String, available: Bool, detail: String) {
        self.name = name
        self.available = available
        self.detail = detail
    }
}

/// The probes behind `HostInfo`'s capabilities: each tries the interface once.
enum Probe {
    /// Reads the pagemap entry of a freshly written page, then its kpageflags.
    static func pagemap() -> (pfns: Capability, kpageflags: Capability) {
        func pfns(_ available: Bool, _ detail: String) -> Capability { Capability(name: "pagemap PFNs", available: available, detail: detail) }
        func flags(_ available: Bool, _ detail: String) -> Capability { Capability(name: "kpageflags", available: available, detail: detail) }
        let pageSize = Host.pageSize
        let page: UInt
        do throws(Errno) {
            page = try Kernel.mapAnonymous(at: 0, length: pageSize, protection: PROT_READ | PROT_WRITE, flags: 0)
        } catch {
            return (pfns(false, "cannot map a probe page: \(error.text)"), flags(false, "cannot map a probe page: \(error.text)"))
        }
        defer { try? Kernel.unmap(page, length: pageSize) }
        UnsafeMutableRawPointer(bitPattern: page)!.storeBytes(of: 1, as: UInt8.self)
        let entry: UInt64
        do throws(Errno) {
            entry = try readWord("/proc/self/pagemap", at: Int(page) / pageSize * 8)
        } catch {
            let detail = "cannot read /proc/self/pagemap: \(error.text)"
            return (pfns(false, detail), flags(false, detail))
        }
        let pfn = entry & ((1 << 55) - 1)
        guard pfn != 0 else {
            return (pfns(false, "pagemap hides PFNs without CAP_SYS_ADMIN"), flags(false, "no PFNs to look up"))
        }
        do throws(Errno) {
            _ = try readWord("/proc/kpageflags", at: Int(pfn) * 8)
            return (pfns(true, "pagemap shows PFNs"), flags(true, "/proc/kpageflags readable"))
        } catch {
            return (pfns(true, "pagemap shows PFNs"), flags(false, "cannot read /proc/kpageflags: \(error.text)"))
        }
    }

    private static func readWord(_ path: String, at offset: Int) throws(Errno) -> UInt64 {
        let fd = try Kernel.openReadOnly(path)
        defer { Kernel.close(fd) }
        var word: UInt64 = 0
        let count = try withUnsafeMutableBytes(of: &word) { buffer throws(Errno) in try Kernel.read(fd, into: buffer, at: offset) }
        guard count == 8 else { throw Errno(code: EIO) }
        return word
    }

    static func pagemapScan() -> Capability {
        let (available, detail) = switch PageScanner.shared {
        case .success(.scanIoctl): (true, "PAGEMAP_SCAN ioctl works")
        case .success: (false, "no PAGEMAP_SCAN ioctl (Linux 6.7+): reading /proc/self/pagemap instead")
        case .failure(let error): (false, error.message)
        }
        return Capability(name: "PAGEMAP_SCAN", available: available, detail: detail)
    }

    static func membarrier() -> Capability {
        let commands = cps_membarrier_query()
        guard commands >= 0 else {
            return Capability(name: "membarrier", available: false, detail: "membarrier: \(Errno.current.text)")
        }
        return Capability(name: "membarrier", available: true, detail: "commands \(hex(commands))")
    }

    static func userfaultfd() -> Capability {
        descriptorProbe("userfaultfd", cps_userfaultfd_open(), works: "userfaultfd works", call: "userfaultfd")
    }

    static func hardwareCounters() -> Capability {
        descriptorProbe("hardware counters", cps_perf_hardware_instructions_open(),
                        works: "perf_event_open counts instructions", call: "perf_event_open(PERF_TYPE_HARDWARE)")
    }

    /// A probe that succeeded if it got a descriptor (which it closes).
    private static func descriptorProbe(_ name: String, _ fd: Int32, works: String, call: String) -> Capability {
        guard fd >= 0 else { return Capability(name: name, available: false, detail: "\(call): \(Errno.current.text)") }
        Kernel.close(fd)
        return Capability(name: name, available: true, detail: works)
    }
}
