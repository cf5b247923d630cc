import CPageSys
import Glibc
import XCTest
@testable import PageCore

/// The safepoint engine's SIGSEGV handler sits in front of the fault trap: it takes only faults at
/// its own poll instructions on its own pages, and everything else still goes where it went.
final class SafepointTrapTests: PageCoreTestCase {
    /// Mutators that poll a thread-local page, so that the handler is installed and busy.
    func threadPageConfig(threads: Int32) -> cps_sp_config {
        cps_sp_config(
            mechanism: CPS_SP_THREAD_PAGE, threads: threads, work: CPS_SP_COMPUTE, poll_interval: 64, straggler_units: 0,
            native_threads: 0, ordering: CPS_SP_FENCE, java_units: 0, native_units: 1, buffer_bytes: 4096,
            timeout_ns: 10_000_000_000, nice: 0, back_off: 0)
    }

    func withTrappingEngine(_ body: (OpaquePointer) throws -> Void) throws {
        var config = threadPageConfig(threads: 2)
        var engine: OpaquePointer?
        XCTAssertEqual(cps_sp_create(&config, &engine), 0)
        defer { cps_sp_destroy(engine) }
        try body(try XCTUnwrap(engine))
    }

    func safepoints(_ engine: OpaquePointer, _ count: Int) -> (status: [cps_sp_status], traps: UInt64) {
        var record = cps_sp_record()
        let statuses = (0..<count).map { _ in cps_sp_safepoint(engine, 0, &record, nil) }
        var totals = cps_sp_totals()
        cps_sp_read_totals(engine, &totals)
        return (statuses, totals.poll_traps)
    }

    func testFaultsThatAreNotPollsStillBecomeErrors() throws {
        let region = try space.reserve(size: 4 * MiB, options: ReserveOptions(name: "heap"))
        _ = try region.commit(offset: 0, length: 2 * MiB)
        try withTrappingEngine { engine in
            XCTAssertEqual(safepoints(engine, 50).traps, 100)
            let error = assertPageError(.fault) { try region.touch(offset: 0, length: region.size) }
            XCTAssertTrue(error?.message.hasSuffix("reserved but not committed") ?? false, error?.message ?? "")
            // Both handlers go on working.
            let after = safepoints(engine, 50)
            XCTAssertEqual(after.status, Array(repeating: CPS_SP_OK, count: 50))
            XCTAssertEqual(after.traps, 200)
            assertPageError(.fault) { try region.touch(offset: 2 * MiB, length: pageSize) }
        }
    }

    /// A load from the bad polling page that is not a mutator's poll (here: the main thread's) is
    /// not a safepoint: the process dies of SIGSEGV instead of blocking forever.
    func testAStrayFaultOnThePollingPageCrashesLoudly() throws {
        XCTAssertEqual(cps_fault_trap_install(), 0)
        let status = runForked {
            let null = open("/dev/null", O_WRONLY)
            dup2(null, STDOUT_FILENO)
            dup2(null, STDERR_FILENO)
            var config = threadPageConfig(threads: 1)
            var engine: OpaquePointer?
            guard cps_sp_create(&config, &engine) == 0, let engine else { _exit(3) }
            var pages = cps_sp_pages()
            cps_sp_read_pages(engine, &pages)
            _exit(Int32(pages.bad_page!.load(as: UInt8.self)))
        }
        XCTAssertEqual(terminationSignal(status), SIGSEGV)
    }
}
