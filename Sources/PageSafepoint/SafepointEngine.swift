import CPageSys
import Glibc
import PageCore

/// The C engine (cps_safepoint.h) with its mutators running. `close()` (or the last reference
/// going away) stops and joins every mutator and releases every page, whatever happened before.
final class SafepointEngine {
    private var handle: OpaquePointer?
    let options: MutatorOptions
    let mutatorCount: Int
    /// Each mutator's time to safepoint at the last safepoint (-1: not waited for).
    private(set) var arrivals: [Int64]

    init(_ options: MutatorOptions) throws(PageError) {
        var config = try options.validated()
        var engine: OpaquePointer?
        let error = cps_sp_create(&config, &engine)
        guard error == 0, let engine else {
            throw PageError(.system(errno: error), "cannot start the safepoint engine: \(String(cString: strerror(error)))")
        }
        handle = engine
        self.options = options
        mutatorCount = Int(cps_sp_mutator_count(engine))
        arrivals = Array(repeating: -1, count: mutatorCount)
    }

    deinit { close() }

    func close() {
        cps_sp_destroy(handle)
        handle = nil
    }

    /// One safepoint with a VM operation of `operationNanoseconds`.
    func safepoint(operationNanoseconds: UInt64) throws(PageError) -> cps_sp_record {
        guard let handle else { preconditionFailure("safepoint on a closed engine") }
        var record = cps_sp_record()
        let status = arrivals.withUnsafeMutableBufferPointer {
            cps_sp_safepoint(handle, operationNanoseconds, &record, $0.baseAddress)
        }
        switch status {
        case CPS_SP_OK:
            return record
        case CPS_SP_INTERRUPTED:
            throw PageError(.interrupted, "interrupted!")
        case CPS_SP_TIMEOUT:
            let missing = arrivals.indices.filter { arrivals[$0] < 0 && role(of: $0) != .native }
            throw PageError(.system(errno: ETIMEDOUT),
                            "safepoint not reached within \(Double(options.timeoutNanoseconds) / 1e9) s: "
                                + missing.map { "mutator \($0) (\(role(of: $0).rawValue))" }.joined(separator: ", ")
                                + " did not arrive")
        default:
            let error = errno
            throw PageError(.system(errno: error), "safepoint failed: \(String(cString: strerror(error)))")
        }
    }

    var pages: EnginePages {
        var pages = cps_sp_pages()
        if let handle { cps_sp_read_pages(handle, &pages) }
        func address(_ page: UnsafeRawPointer?) -> UInt { UInt(bitPattern: page) }
        return EnginePages(global: address(pages.global_page), good: address(pages.good_page),
                           bad: address(pages.bad_page), serialize: address(pages.serialize_page))
    }

    var totals: cps_sp_totals {
        var totals = cps_sp_totals()
        if let handle { cps_sp_read_totals(handle, &totals) }
        return totals
    }

    func safepointsReached(by index: Int) -> Int {
        handle.map { Int(cps_sp_mutator_safepoints($0, Int32(index))) } ?? 0
    }

    func units(of index: Int) -> UInt64 {
        handle.map { cps_sp_mutator_units($0, Int32(index)) } ?? 0
    }

    /// Mutators are numbered polling first, then the straggler, then the natives.
    func role(of index: Int) -> MutatorRole {
        if index < options.threads { return .polling }
        if index == options.threads && options.stragglerUnits > 0 { return .straggler }
        return .native
    }
}

/// Where the engine's pages are: HotSpot's -Xlog:os prints the polling pages the same way.
public struct EnginePages: Sendable, Equatable {
    public let global: UInt
    public let good: UInt
    public let bad: UInt
    public let serialize: UInt
}

/// What a mutator does.
public enum MutatorRole: String, Sendable {
    case polling, straggler, native
}
