import Foundation
import XCTest

/// `pagelab run jvm/zgc` on the model: the multi-mapping demonstration's figures, exact.
final class ZGCScenarioTests: XCTestCase {
    static let scenario = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../plugins/jvm/zgc.lua").standardized.path

    func cases(jdk: Int) throws -> [[String: Any]] {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("pagelab-zgc-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: json) }
        let result = try Pagelab.run(["run", Self.scenario, "--backend", "model", "--set", "heap=256m", "--set", "jdk=\(jdk)", "--json", json])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("The heap is one memfd of 256m"), result.stdout)
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [String: Any]
        return (document["results"] as! [String: Any])["cases"] as! [[String: Any]]
    }

    func testPretouchedHeapCountsOncePerViewInRSSAndOnceInPSS() throws {
        let heap = 256 << 20
        for (jdk, views) in [(17, 3), (25, 1)] {
            let cases = try cases(jdk: jdk)
            XCTAssertEqual(cases.map { $0["case"] as? String }, ["lazy", "pretouch"])
            for row in cases {
                XCTAssertEqual(row["nmt_committed"] as? Int, heap, "NMT counts the memory once (JDK \(jdk))")
                XCTAssertEqual(row["memfd_allocated"] as? Int, heap, "fallocate of the whole heap")
            }
            let lazy = cases[0], pretouch = cases[1]
            XCTAssertEqual(lazy["views"] as? [Int], Array(repeating: 0, count: views))
            XCTAssertEqual(lazy["rss_shmem"] as? Int, 0)
            XCTAssertEqual(pretouch["views"] as? [Int], Array(repeating: heap, count: views))
            XCTAssertEqual(pretouch["rss_shmem"] as? Int, views * heap, "RSS counts each view (JDK \(jdk))")
            let privateGrowth = (pretouch["rss_growth"] as! Int) - (pretouch["rss_shmem"] as! Int)
            XCTAssertEqual((pretouch["pss_growth"] as! Int) - privateGrowth, heap, "PSS counts the heap once (JDK \(jdk))")
        }
    }
}
