import PageCore
import XCTest
@testable import PageSafepoint

/// The `-Xlog:safepoint` formats, against lines the real JVMs printed on this kind of machine.
final class SafepointLogTests: XCTestCase {
    /// 17.0.15 (which prints the JDK 21 format since 17.0.8) and Temurin 25.0.3.
    let jdk21Line = "[0.031s][info][safepoint] Safepoint \"ThreadDump\", Time since last: 17867949 ns, Reaching safepoint: 70862 ns, Cleanup: 4426 ns, At safepoint: 45218 ns, Total: 120506 ns"
    let jdk25Line = "[0.052s][info][safepoint] Safepoint \"ThreadDump\", Time since last: 42813672 ns, Reaching safepoint: 70485 ns, At safepoint: 39970 ns, Leaving safepoint: 2486 ns, Total: 112941 ns, Threads: 2 runnable, 12 total"

    func testRealLinesParseAndPrintBackIdentically() throws {
        let jdk21 = try XCTUnwrap(SafepointLog.parse(jdk21Line))
        XCTAssertEqual(jdk21, SafepointLogEntry(
            uptimeNanoseconds: 31_000_000, operation: "ThreadDump", sinceLast: 17_867_949, reaching: 70_862, cleanup: 4_426,
            atSafepoint: 45_218, leaving: nil, total: 120_506, runnable: nil, threads: nil))
        XCTAssertEqual(jdk21.format, .jdk21)
        XCTAssertEqual(SafepointLog.line(jdk21), jdk21Line)

        let jdk25 = try XCTUnwrap(SafepointLog.parse(jdk25Line))
        XCTAssertEqual(jdk25, SafepointLogEntry(
            uptimeNanoseconds: 52_000_000, operation: "ThreadDump", sinceLast: 42_813_672, reaching: 70_485, cleanup: nil,
            atSafepoint: 39_970, leaving: 2_486, total: 112_941, runnable: 2, threads: 12))
        XCTAssertEqual(jdk25.format, .jdk25)
        XCTAssertEqual(SafepointLog.line(jdk25), jdk25Line)
    }

    /// One safepoint's moments, in each format: 17 GA counts cleanup in Reaching, 21 splits it out,
    /// 25 has no cleanup and splits At from Leaving (hotspot.md §5.2).
    func testEachFormatDerivesItsFieldsFromTheSameMoments() {
        let times = SafepointTimes(begin: 1_000, synchronized: 1_700, cleanupEnd: 1_750, leave: 5_000, end: 5_300,
                                   previousEnd: 400, runnable: 3, threads: 5)
        XCTAssertEqual(SafepointLog.line(times.entry(.jdk17, operation: "Cleanup", uptime: 1_234_000_000)),
                       "[1.234s][info][safepoint] Safepoint \"Cleanup\", Time since last: 600 ns, Reaching safepoint: 750 ns, At safepoint: 3550 ns, Total: 4300 ns")
        XCTAssertEqual(SafepointLog.line(times.entry(.jdk21, operation: "Cleanup", uptime: 5_000_000)),
                       "[0.005s][info][safepoint] Safepoint \"Cleanup\", Time since last: 600 ns, Reaching safepoint: 700 ns, Cleanup: 50 ns, At safepoint: 3550 ns, Total: 4300 ns")
        XCTAssertEqual(SafepointLog.line(times.entry(.jdk25, operation: "Cleanup", uptime: 61_000_000_000)),
                       "[61.000s][info][safepoint] Safepoint \"Cleanup\", Time since last: 600 ns, Reaching safepoint: 700 ns, At safepoint: 3300 ns, Leaving safepoint: 300 ns, Total: 4300 ns, Threads: 3 runnable, 5 total")
    }

    func testOtherLinesAreNotSafepoints() {
        XCTAssertNil(SafepointLog.parse("[0.010s][info][gc] Using G1"))
        XCTAssertNil(SafepointLog.parse("Safepoint \"X\", Time since last: lots ns"))
        XCTAssertNil(SafepointLog.parse("Safepoint \"X\", Reaching safepoint: 1 ns"))
    }

    func testDurationsReadAsPeopleWriteThem() throws {
        XCTAssertEqual(try DurationText.parse("250ms", parameter: "duration"), 250_000_000)
        XCTAssertEqual(try DurationText.parse("10us", parameter: "duration"), 10_000)
        XCTAssertEqual(try DurationText.parse("10µs", parameter: "duration"), 10_000)
        XCTAssertEqual(try DurationText.parse("1.5", parameter: "duration"), 1_500_000_000)
        XCTAssertEqual(try DurationText.parse("1.5s", parameter: "duration"), 1_500_000_000)
        XCTAssertEqual(try DurationText.parse("2m", parameter: "duration"), 120_000_000_000)
        XCTAssertEqual(try DurationText.parse("800ns", parameter: "duration"), 800)
        XCTAssertEqual(try DurationText.seconds(0.25, parameter: "duration"), 250_000_000)
        for bad in ["", "fast", "-1s", "-1", "1e30s", "5 parsecs"] {
            XCTAssertThrowsError(try DurationText.parse(bad, parameter: "duration")) { error in
                XCTAssertEqual((error as? PageError)?.kind, .invalidArgument(parameter: "duration"), bad)
            }
        }
    }
}
