import Foundation
import XCTest

/// `pagelab run --backend model`: the same scenario, simulated, and a document that says so.
final class ModelBackendCommandTests: XCTestCase {
    func testRunOnTheModelSaysItIsSimulated() throws {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("pagelab-e2e-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: json) }
        let result = try Pagelab.run(["run", Pagelab.fixture("small.lua"), "--set", "write=512k", "--json", json, "--backend", "model"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "committed 4M resident 512K zero 1M\n", "the same figures as on the host")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [String: Any]
        let manifest = document["manifest"] as! [String: Any]
        XCTAssertEqual(manifest["backend"] as? String, "model")
        XCTAssertEqual(manifest["measured"] as? Bool, false)
        XCTAssertEqual((manifest["machine"] as! [String: Any])["simulated"] as? Bool, true)
        let regions = document["regions"] as! [[String: Any]]
        XCTAssertEqual(regions[0]["source"] as? String, "simulated")
        XCTAssertEqual((regions[0]["page_tables"] as! [String: Any])["pte"] as? Int, 2, "one per 2 MiB touched")
        let operations = document["operations"] as! [[String: Any]]
        XCTAssertEqual(operations[1]["minflt"] as? Int, 128, "simulated faults are exact")
        XCTAssertEqual((document["process"] as! [String: Any])["source"] as? String, "simulated")
    }

    func testAnUnknownBackendIsAUsageError() throws {
        let result = try Pagelab.run(["run", Pagelab.fixture("small.lua"), "--backend", "gpu"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("--backend: 'gpu' is not one of: host, model"), result.stderr)
    }
}
