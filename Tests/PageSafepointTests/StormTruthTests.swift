import CPageSys
import PageCore
import XCTest
@testable import PageSafepoint

/// The engine's promises: every mutator the coordinator waits for blocks at every safepoint (no
/// lost wake-up, no thread left behind), no thread counted safe runs Java during a safepoint, and
/// the counts the results report are the counts that happened.
final class StormTruthTests: XCTestCase {
    override func tearDown() {
        Interrupt.clear()
        super.tearDown()
    }

    /// Back-to-back safepoints, stopped by count rather than by time.
    func storm(_ mechanism: Mechanism, threads: Int, safepoints: Int, configure: (inout StormOptions) -> Void = { _ in })
        throws -> StormResult
    {
        var options = StormOptions()
        options.mutators.mechanism = mechanism
        options.mutators.threads = threads
        // More mutators than CPUs: keep the coordinator above them, or every release costs a time slice.
        options.mutators.nice = 19
        options.maximumSafepoints = safepoints
        options.durationNanoseconds = StormOptions.maximumDuration
        options.measureThroughput = false
        configure(&options)
        return try Storm.run(options)
    }

    func testOneHundredThousandSafepointsReachEveryThread() throws {
        let count = 100_000, threads = 8
        let result = try storm(.pollWord, threads: threads, safepoints: count)
        XCTAssertEqual(result.safepoints, count)
        XCTAssertEqual(result.threads.map(\.safepoints), Array(repeating: count, count: threads),
                       "\(threads) threads on \(ProcessInfo.processInfo.activeProcessorCount) CPUs")
        XCTAssertEqual(result.threads.map(\.waitedFor), Array(repeating: count, count: threads))
        XCTAssertEqual(result.threadTTSP.count, count * threads)
        XCTAssertEqual(result.ttsp.count, count)
        XCTAssertEqual(result.violations, 0)
        XCTAssertEqual(result.spuriousPolls, 0)
    }

    /// Page polls arrive through the SIGSEGV handler, one trap per thread and safepoint; word and
    /// dispatch polls never trap.
    func testEveryMechanismBringsEveryThreadAndCountsItsTraps() throws {
        let count = 2_000, threads = 8
        for mechanism in Mechanism.allCases {
            let result = try storm(mechanism, threads: threads, safepoints: count)
            XCTAssertEqual(result.threads.map(\.safepoints), Array(repeating: count, count: threads), mechanism.rawValue)
            XCTAssertEqual(result.violations, 0, mechanism.rawValue)
            let traps = mechanism == .globalPage || mechanism == .threadPage ? count * threads : 0
            XCTAssertEqual(result.pollTraps, UInt64(traps), mechanism.rawValue)
        }
    }

    /// HotSpot's back-off (look, nanosleep, look) brings every thread too, natives included.
    func testTheBackOffCoordinatorBringsEveryThread() throws {
        let result = try storm(.threadPage, threads: 4, safepoints: 1_000) { options in
            options.mutators.wait = .backoff
            options.mutators.nativeThreads = 2
        }
        XCTAssertEqual(result.threads.filter { $0.role == .polling }.map(\.safepoints), Array(repeating: 1_000, count: 4))
        XCTAssertEqual(result.violations, 0)
        XCTAssertGreaterThanOrEqual(result.pollTraps, 4_000, "every polling thread trapped at every safepoint")
    }

    /// Work that stores and copies (into the mutators' buffers) polls the same way.
    func testStoreAndCopyWorkReachEverySafepoint() throws {
        for work in [Work.store, .copy] {
            let result = try storm(.threadPage, threads: 3, safepoints: 1_000) { $0.mutators.work = work }
            XCTAssertEqual(result.threads.map(\.safepoints), [1_000, 1_000, 1_000], work.rawValue)
            XCTAssertTrue(result.threads.allSatisfy { $0.units > 0 }, work.rawValue)
        }
    }

    /// Threads in native are not waited for, yet none of them walks back into Java during a
    /// safepoint, whichever way the transitions are ordered.
    func testNativeThreadsStayOutOfJavaDuringSafepoints() throws {
        for ordering in Ordering.allCases {
            let result = try storm(.pollWord, threads: 2, safepoints: 3_000) { options in
                options.mutators.nativeThreads = 4
                options.mutators.ordering = ordering
                options.mutators.javaUnits = 256
                options.mutators.nativeUnits = 2_048
            }
            XCTAssertEqual(result.violations, 0, ordering.rawValue)
            XCTAssertEqual(result.threads.filter { $0.role == .polling }.map(\.safepoints), [3_000, 3_000], ordering.rawValue)
            let natives = result.threads.filter { $0.role == .native }
            XCTAssertEqual(natives.count, 4)
            XCTAssertTrue(natives.allSatisfy { $0.waitedFor < 3_000 }, "natives are not always waited for: \(natives.map(\.waitedFor))")
            XCTAssertGreaterThan(result.transitions, 0, ordering.rawValue)
            if ordering != .serializePage {
                XCTAssertEqual(result.serializeTraps, 0, ordering.rawValue)
            }
        }
    }

    /// The straggler polls only at the end of its counted loop; with the dispatch mechanism that
    /// poll, like the natives' Java polls, is a dispatch through the active table.
    func testStragglerAndNativesPollThroughTheDispatchTable() throws {
        let result = try storm(.dispatch, threads: 2, safepoints: 500) { options in
            options.mutators.stragglerUnits = 100_000
            options.mutators.nativeThreads = 2
        }
        let straggler = try XCTUnwrap(result.threads.first { $0.role == .straggler })
        XCTAssertEqual(straggler.safepoints, 500)
        XCTAssertEqual(straggler.waitedFor, 500)
        XCTAssertEqual(straggler.units % 100_000, 0, "a counted loop polls only at its end")
        XCTAssertEqual(result.violations, 0)
    }

    func testAStormStopsAtItsDurationAndMeasuresBothSides() throws {
        var options = StormOptions()
        options.mutators.threads = 2
        options.rate = 1_000
        options.durationNanoseconds = 100_000_000
        let result = try Storm.run(options)
        XCTAssertGreaterThan(result.safepoints, 0)
        XCTAssertLessThanOrEqual(result.safepoints, 100, "at most rate × duration")
        XCTAssertGreaterThan(result.throughputWith, 0)
        XCTAssertGreaterThan(try XCTUnwrap(result.throughputWithout), 0)
        XCTAssertNotNil(result.throughputLoss)
        XCTAssertEqual(result.ttspBuckets.reduce(0) { $0 + $1.count }, UInt64(result.safepoints))
    }

    func testLogLinesOnePerSafepointReadBack() throws {
        for format in SafepointLogFormat.allCases {
            let result = try storm(.pollWord, threads: 2, safepoints: 20) { options in
                options.logFormat = format
                options.operationName = "G1CollectForAllocation"
                options.operationNanoseconds = 10_000
            }
            XCTAssertEqual(result.log.count, 20)
            for line in result.log {
                let entry = try XCTUnwrap(SafepointLog.parse(line), line)
                XCTAssertEqual(entry.format, format, line)
                XCTAssertEqual(entry.operation, "G1CollectForAllocation")
                XCTAssertGreaterThanOrEqual(entry.atSafepoint, 10_000, "the VM operation's 10 µs are at the safepoint")
                XCTAssertEqual(entry.total, entry.reaching + (entry.cleanup ?? 0) + entry.atSafepoint + (entry.leaving ?? 0), line)
                XCTAssertEqual(SafepointLog.line(entry), line)
            }
        }
    }
}
