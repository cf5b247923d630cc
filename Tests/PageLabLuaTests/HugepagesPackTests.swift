import LuaBridge
import PageCore
import XCTest
@testable import PageLabLua

/// The hugepages pack's scenarios run, with small settings, and record what they print.
final class HugepagesPackTests: XCTestCase {
    func run(_ scenario: String, _ settings: [(String, String)]) throws -> [String: LuaValue] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../plugins/hugepages/\(scenario).lua").standardized.path
        let workbench = try Workbench(budget: .standard())
        try workbench.run(file: file, settings: settings)
        XCTAssertEqual(workbench.session.space.regions.count, 0, "\(scenario) left regions open")
        return Dictionary(workbench.session.results.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
    }

    func testTLBReachMeasuresFaultsAndSimulatesEachCase() throws {
        let results = try run("tlb-reach", [("size", "16m"), ("large", "64m"), ("accesses", "20000")])
        guard case .table(let cases, _)? = results["cases"] else { return XCTFail("no cases recorded") }
        let small = try XCTUnwrap(cases.first)
        XCTAssertEqual(small["name"], .string("4K pages"))
        XCTAssertGreaterThanOrEqual(small["minflt"]?.integerValue ?? 0, (16 << 20) / 4096, "one fault per 4K page at least")
        XCTAssertEqual(small["huge"], .integer(0))
        XCTAssertEqual(small["rates"]?["strided 4K"]?["miss_rate"], .number(1), "a 4K stride over 16M of 4K pages walks every time")
        let simulated = cases.filter { $0["source"] == .string("simulated") }.compactMap { $0["name"]?.stringValue }
        XCTAssertEqual(simulated, ["64M 4K", "64M 2M"], "no 1G case for a heap smaller than 1G")
        if let thp = cases.first(where: { $0["name"] == .string("THP") }), thp["huge"] == .integer(16 << 20) {
            XCTAssertLessThanOrEqual(thp["minflt"]?.integerValue ?? .max, 8 + 64, "one fault per 2M page, and a few more")
            XCTAssertEqual(thp["rates"]?["random"]?["miss_rate"], .number(0), "8 huge pages fit the L1 dTLB")
        }
        XCTAssertEqual(results["reach"]?["stlb"]?["2m"], .integer(2048 << 21))
    }

    func testPageWalkFindsEachKindOfPage() throws {
        let results = try run("page-walk", [])
        XCTAssertEqual(results["split"]?["pud"], .integer(24))
        XCTAssertEqual(results["walks"]?["written 4K"]?["leaf"], .string("pte"))
        XCTAssertEqual(results["walks"]?["written 4K"]?["offset"], .integer(0x123))
        XCTAssertEqual(results["walks"]?["untouched"]?["present"], .boolean(false))
        XCTAssertEqual(results["walks"]?["read 4K"]?["present"], .boolean(true))
    }

    func testTLBClaimsChecksEveryClaim() throws {
        let results = try run("tlb-claims", [("heap", "1g"), ("accesses", "20000")])
        guard case .table(let claims, _)? = results["claims"] else { return XCTFail("no claims recorded") }
        XCTAssertEqual(claims.count, 7)
        XCTAssertTrue(claims.allSatisfy { $0["verdict"]?.stringValue?.isEmpty == false })
        XCTAssertTrue(claims[1]["model"]?.stringValue?.contains("= 512x") ?? false, "\(claims[1])")
    }
}
