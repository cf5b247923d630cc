import CPageSys
import Glibc

extension Region {
    /// Bytes a touch worker claims at a time, and the interval between its interrupt checks:
    /// HotSpot's PreTouchParallelChunkSize on Linux (4 MiB).
    static let touchChunk = 4 << 20

    /// Accesses the range once every `stride` bytes as HotSpot's pretouch does (see `cps_touch`),
    /// after checking the commit budget. Nothing is checked about commitment: a touch of
    /// reserved or protected memory faults, and the fault trap turns the fault into an error that
    /// names the region, the offset and the protection there.
    @discardableResult
    public func touch(offset: Int, length: Int, options: TouchOptions = TouchOptions()) throws(PageError) -> OpResult {
        let span = try span(offset: offset, length: length)
        let stride = options.stride ?? pageSize
        guard stride > 0 else { throw .invalid("stride", "stride \(stride) is not positive") }
        let maximumThreads = Int(CPS_TOUCH_MAX_THREADS)
        guard (1...maximumThreads).contains(options.threads) else {
            throw .invalid("threads", "threads \(options.threads) is not between 1 and \(maximumThreads)")
        }
        let footprint = try chargeBudget("touch", span)
        defer { recordCharge(footprint) }
        var outcome = cps_touch_result()
        let result = try OpResult.measure {
            cps_touch(UnsafeMutableRawPointer(bitPattern: address(span.lowerBound)), span.count, stride,
                      options.write, Int32(options.threads), Self.touchChunk, &outcome)
        }
        switch outcome.status {
        case CPS_TOUCH_DONE:
            return result
        case CPS_TOUCH_FAULT:
            throw faultError(at: outcome.fault_address, signal: outcome.fault_signal)
        case CPS_TOUCH_INTERRUPTED:
            throw .interrupted
        default:
            throw .system(Errno(code: outcome.error),
                          "cannot touch region '\(name)' range \(describe(span)): cannot set up worker threads or the fault trap")
        }
    }

    /// "SIGSEGV at region 'heap' offset 0x200000 (address 0x7f...): protection none, reserved but
    /// not committed".
    private func faultError(at address: UInt, signal: Int32) -> PageError {
        let offset = Int(address - base)
        let state = protections.value(at: offset).map { "protection \($0.rawValue), committed" }
            ?? "protection none, reserved but not committed"
        let signalName = signal == SIGBUS ? "SIGBUS" : "SIGSEGV"
        return PageError(.fault, "\(signalName) at region '\(name)' offset \(hex(offset)) (address \(hex(address))): \(state)")
    }
}
