import Foundation
import XCTest

final class SafepointLifecycleTests: XCTestCase {
    /// Ctrl-C (a real SIGINT) while a back-to-back storm runs on mutators trapping on the global
    /// page: the coordinator stops waiting, the mutators are joined, and the run exits 130.
    func testInterruptStopsAStormWithStatus130() throws {
        let (process, _, err) = try Pagelab.start([
            "run", "safepoint/storm", "--set", "mechanism=global-page", "--set", "threads=4", "--set", "rate=0",
            "--set", "duration=60s",
        ])
        Thread.sleep(forTimeInterval: 0.5)
        process.interrupt()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertTrue(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("pagelab: interrupted"))
    }
}
