import Foundation
import PageCore
import XCTest
@testable import PageSafepoint

/// The real JVM's safepoint log, from a program PageLab compiles and runs.
final class JavaComparisonTests: XCTestCase {
    func testTheJVMLogsOneThreadDumpPerForcedSafepoint() throws {
        guard (try? JavaSafepoints.launchers("java")) != nil else {
            throw XCTSkip("no java with a javac beside it on PATH")
        }
        var options = JavaSafepoints.Options()
        options.safepoints = 20
        options.intervalNanoseconds = 1_000_000
        options.warmUpNanoseconds = 200_000_000
        let run = try JavaSafepoints.run(options)
        XCTAssertEqual(run.entries.count, 20, run.lines.joined(separator: "\n"))
        XCTAssertEqual(run.reaching.count, 20)
        XCTAssertFalse(run.version.isEmpty)
        XCTAssertTrue(run.entries.allSatisfy { $0.total >= $0.reaching })
        XCTAssertTrue(run.command.contains("-Xlog:safepoint"))
    }

    func testAMissingJavaIsNamed() {
        XCTAssertThrowsError(try JavaSafepoints.launchers("/nonexistent/java")) { error in
            XCTAssertEqual((error as? PageError)?.message, "no Java launcher '/nonexistent/java' (give a path, or put one on PATH)")
        }
    }
}
