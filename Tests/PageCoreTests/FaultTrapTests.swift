import CPageSys
import Glibc
import XCTest
@testable import PageCore

/// Faults inside an operated range become errors, and the process goes on.
final class FaultTrapTests: PageCoreTestCase {
    func testTouchOfUncommittedMemoryIsAnError() throws {
        let region = try space.reserve(size: 4 * MiB, options: ReserveOptions(name: "heap"))
        _ = try region.commit(offset: 0, length: 2 * MiB)
        _ = try region.advise(offset: 0, length: 2 * MiB, .nohugepage)
        let maps = mappings(of: region)
        let error = assertPageError(.fault) { try region.touch(offset: 0, length: region.size) }
        XCTAssertEqual(error?.message, "SIGSEGV at region 'heap' offset 0x200000 (address \(hex(region.base + UInt(2 * MiB)))): protection none, reserved but not committed")
        XCTAssertEqual(try region.stats().resident, 2 * MiB, "pages before the fault were touched")
        XCTAssertEqual(mappings(of: region), maps)
        // The process goes on, and so does the trap.
        _ = try region.commit(offset: 2 * MiB, length: 2 * MiB)
        _ = try region.touch(offset: 0, length: region.size)
        XCTAssertEqual(try region.stats().resident, 4 * MiB)
        assertPageError(.fault) { _ = try region.uncommit(offset: 0, length: pageSize); return try region.touch(offset: 0, length: pageSize) }
    }

    func testWriteTouchOfReadOnlyMemoryIsAnError() throws {
        let region = try committedRegion(1 * MiB)
        _ = try region.protect(offset: 512 * KiB, length: 512 * KiB, .r)
        _ = try region.touch(offset: 0, length: region.size, options: TouchOptions(write: false))
        let error = assertPageError(.fault) { try region.touch(offset: 0, length: region.size) }
        XCTAssertEqual(error?.message, "SIGSEGV at region 'heap' offset 0x80000 (address \(hex(region.base + UInt(512 * KiB)))): protection r, committed")
        _ = try region.protect(offset: 0, length: pageSize, .none)
        let none = assertPageError(.fault) { try region.touch(offset: 0, length: pageSize, options: TouchOptions(write: false)) }
        XCTAssertEqual(none?.message, "SIGSEGV at region 'heap' offset 0x0 (address \(hex(region.base))): protection none, committed")
    }

    func testFaultStopsAllWorkers() throws {
        let region = try space.reserve(size: 64 * MiB, options: ReserveOptions(name: "heap"))
        _ = try region.commit(offset: 0, length: 32 * MiB)
        for threads in [2, 4, 16] {
            let error = assertPageError(.fault) {
                try region.touch(offset: 0, length: region.size, options: TouchOptions(threads: threads))
            }
            XCTAssertTrue(error?.message.hasSuffix("protection none, reserved but not committed") ?? false, error?.message ?? "")
        }
        XCTAssertEqual(try region.stats().resident, 32 * MiB)
    }

    /// A fault outside any guarded operation still kills the process by SIGSEGV: the trap puts
    /// back the handler it found and lets the access fault again. In a child process, of course.
    func testFaultOutsideAnOperationStillCrashes() throws {
        XCTAssertEqual(cps_fault_trap_install(), 0)
        let region = try space.reserve(size: 4 * MiB, options: ReserveOptions(name: "heap"))
        let status = runForked {
            // Keep the Swift runtime's crash report (the handler put back) out of the test log.
            let null = open("/dev/null", O_WRONLY)
            dup2(null, STDOUT_FILENO)
            dup2(null, STDERR_FILENO)
            UnsafeMutablePointer<UInt8>(bitPattern: region.base)!.pointee = 1
            _exit(0)
        }
        XCTAssertEqual(terminationSignal(status), SIGSEGV)
    }
}
