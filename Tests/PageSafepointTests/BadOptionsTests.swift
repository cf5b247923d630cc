import PageCore
import XCTest
@testable import PageSafepoint

/// Every unusable value is refused before a thread starts, with a message naming it.
final class BadOptionsTests: XCTestCase {
    func testUnusableValuesAreNamed() {
        let cases: [(String, String, (inout StormOptions) -> Void)] = [
            ("threads", "threads -1 must be between 0 and 256", { $0.mutators.threads = -1 }),
            ("threads", "0 mutators in all (threads 0, natives 0, straggler 0): must be between 1 and 256", { $0.mutators.threads = 0 }),
            ("threads", "257 mutators in all (threads 200, natives 57, straggler 0): must be between 1 and 256",
             { $0.mutators.threads = 200; $0.mutators.nativeThreads = 57 }),
            ("interval", "interval 0 must be between 1 and 1048576", { $0.mutators.pollInterval = 0 }),
            ("straggler", "straggler -5 must be between 0 and 68719476736", { $0.mutators.stragglerUnits = -5 }),
            ("native_units", "native_units 0 must be between 1 and 4294967295", { $0.mutators.nativeUnits = 0 }),
            ("buffer", "buffer 5000 must be a power of two between 4096 and 1G", { $0.mutators.bufferBytes = 5000 }),
            ("nice", "nice 20 must be between 0 and 19", { $0.mutators.nice = 20 }),
            ("rate", "rate -1.0 must be between 0 (back to back) and 10000000 safepoints per second", { $0.rate = -1 }),
            ("rate", "rate nan must be between 0 (back to back) and 10000000 safepoints per second", { $0.rate = .nan }),
            ("duration", "duration 0 ns must be positive and at most an hour", { $0.durationNanoseconds = 0 }),
            ("safepoints", "safepoints 0 must be positive", { $0.maximumSafepoints = 0 }),
            ("name", "operation name 'a\"b' must be non-empty, without quotes or newlines", { $0.operationName = "a\"b" }),
        ]
        for (parameter, message, configure) in cases {
            var options = StormOptions()
            configure(&options)
            XCTAssertThrowsError(try Storm.run(options), message) { error in
                XCTAssertEqual(error as? PageError, PageError(.invalidArgument(parameter: parameter), message))
            }
        }
    }

    func testNamesOutsideTheirListAreNamed() {
        XCTAssertThrowsError(try Mechanism.named("safepoint-page", parameter: "mechanism")) { error in
            XCTAssertEqual((error as? PageError)?.message,
                           "invalid mechanism 'safepoint-page' (expected one of: global-page, thread-page, poll-word, dispatch)")
        }
        XCTAssertThrowsError(try Ordering.named("UseMembar", parameter: "ordering")) { error in
            XCTAssertEqual((error as? PageError)?.message,
                           "invalid ordering 'UseMembar' (expected one of: serialize-page, fence, membarrier)")
        }
        XCTAssertEqual(try Work.named("copy", parameter: "work"), .copy)
        XCTAssertThrowsError(try CoordinatorWait.named("spin", parameter: "wait")) { error in
            XCTAssertEqual((error as? PageError)?.message, "invalid wait 'spin' (expected one of: futex, backoff)")
        }
    }

    func testTransitionCostsNeedTransitions() throws {
        XCTAssertThrowsError(try TransitionCost.measure(.fence, transitions: 1)) { error in
            XCTAssertEqual((error as? PageError)?.kind, .invalidArgument(parameter: "transitions"))
        }
        for ordering in [nil] + Ordering.allCases.map(Optional.some) {
            XCTAssertGreaterThan(try TransitionCost.measure(ordering, transitions: 10_000), 0)
        }
    }
}
