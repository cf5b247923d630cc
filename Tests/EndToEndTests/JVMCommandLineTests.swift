import Foundation
import XCTest

/// `pagelab jvm`'s own command line, which `JVMOptions` parses without ArgumentParser: options in
/// either form and any order, the JVM's flags around them or after `--`, and usage errors.
final class JVMCommandLineTests: XCTestCase {
    func testOptionsInEitherFormAroundTheJVMFlags() throws {
        let result = try Pagelab.run(["jvm", "-Xmx1g", "--jdk=21", "--format", "json", "--cpus=3", "--", "-XX:+UseSerialGC"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(document["jdk"] as? Int, 21)
        XCTAssertEqual(document["options"] as? [String], ["-Xmx1g", "-XX:+UseSerialGC"])
        XCTAssertEqual((document["machine"] as? [String: Any])?["cpus"] as? Int, 3)
        XCTAssertEqual(document["collector"] as? String, "Serial")
    }

    func testEverythingAfterTheTerminatorIsTheJVMs() throws {
        let result = try Pagelab.run(["jvm", "--", "--detail"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue((result.stdout + result.stderr).contains("Unrecognized option: --detail"), result.stdout + result.stderr)
    }

    func testUsageErrorsNameTheOptionAndExit64() throws {
        let cases: [([String], String)] = [
            (["jvm", "--jdk"], "Error: Missing value for '--jdk <n>'"),
            (["jvm", "--cpus", "two"], "Error: The value 'two' is invalid for '--cpus <n>'"),
            (["jvm", "--detail=yes"], "Error: The option '--detail' does not take a value"),
            (["jvm", "--backend", "cloud"], "Error: --backend: 'cloud' is not one of: host, model"),
            (["jvm", "--jdk", "18"], "Error: --jdk must be 17, 21 or 25, not 18"),
        ]
        for (arguments, message) in cases {
            let result = try Pagelab.run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments)")
            XCTAssertTrue(result.stderr.hasPrefix(message), "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "\(arguments)")
        }
    }

    func testHelpListsEveryOption() throws {
        let result = try Pagelab.run(["jvm", "--help"])
        XCTAssertEqual(result.status, 0)
        for option in ["--jdk <n>", "--backend <backend>", "--format <format>", "--ram <size>", "--cpus <n>", "--detail", "--budget <size>"] {
            XCTAssertTrue(result.stdout.contains(option), "\(option) missing from:\n\(result.stdout)")
        }
    }
}
