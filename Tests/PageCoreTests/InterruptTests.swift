import Foundation
import Glibc
import Synchronization
import XCTest
@testable import PageCore

private let callbacks = Atomic<Int>(0)

final class InterruptTests: PageCoreTestCase {
    func testPendingInterruptStopsBeforeTouching() throws {
        let region = try committedRegion(64 * MiB)
        Interrupt.request()
        let error = assertPageError(.interrupted) { try region.touch(offset: 0, length: region.size) }
        XCTAssertEqual(error?.message, "interrupted!")
        assertPageError(.interrupted) { try region.advise(offset: 0, length: region.size, .populateWrite) }
        assertPageError(.interrupted) { try region.lock(offset: 0, length: region.size) }
        XCTAssertEqual(try region.stats().resident, 0)
        Interrupt.clear()
        _ = try region.touch(offset: 0, length: region.size)
        XCTAssertEqual(try region.stats().resident, 64 * MiB)
    }

    /// SIGINT from another thread in the middle of a 1 GiB touch, populate and lock: each stops
    /// early, within 100 ms of the signal, and the callback ran.
    func testSigintStopsLongOperationsQuickly() throws {
        Interrupt.install { callbacks.add(1, ordering: .relaxed) }
        let operations: [(String, (Region) throws -> OpResult)] = [
            ("touch", { region in try region.touch(offset: 0, length: region.size, options: TouchOptions(threads: 2)) }),
            ("populate", { region in try region.advise(offset: 0, length: region.size, .populateWrite) }),
            ("lock", { region in try region.lock(offset: 0, length: region.size) }),
        ]
        for (name, operation) in operations {
            let region = try committedRegion(GiB, name: name)
            let before = callbacks.load(ordering: .relaxed)
            let signalled = Mutex<UInt64>(0)
            let thread = Thread {
                usleep(30_000)
                signalled.withLock { $0 = DispatchTime.now().uptimeNanoseconds }
                kill(getpid(), SIGINT)
            }
            thread.start()
            assertPageError(.interrupted) { try operation(region) }
            let stopped = DispatchTime.now().uptimeNanoseconds
            while signalled.withLock({ $0 }) == 0 { usleep(1000) }
            XCTAssertLessThan(stopped - signalled.withLock { $0 }, 100_000_000, name)
            XCTAssertEqual(callbacks.load(ordering: .relaxed), before + 1, name)
            XCTAssertTrue(Interrupt.isPending)
            XCTAssertLessThan(try region.stats().resident, GiB, name)
            Interrupt.clear()
            region.close()
        }
    }

    /// A second Ctrl-C while the first is pending kills, as in lua.c.
    func testSecondSigintKills() {
        let status = runForked {
            Interrupt.install()
            raise(SIGINT)
            raise(SIGINT)
            _exit(0)
        }
        XCTAssertEqual(terminationSignal(status), SIGINT)
    }
}
