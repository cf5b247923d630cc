import Foundation
import XCTest

final class MetaCommandTests: XCTestCase {
    /// `-o FILE` writes what standard output shows; `-o DIR/` one file per module.
    func testWritesOneFileOrOnePerModule() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pagelab-meta-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let printed = try Pagelab.run(["meta"])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertTrue(printed.stdout.hasPrefix("---@meta\n"))
        XCTAssertTrue(printed.stdout.contains("\n---@class pagelab.numa\nlocal numa = {}\n"))
        let file = folder.appendingPathComponent("one/pagelab.meta.lua").path
        XCTAssertEqual(try Pagelab.run(["meta", "-o", file]).status, 1, "a file in a folder that does not exist cannot be written")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("one"), withIntermediateDirectories: true)
        XCTAssertEqual(try Pagelab.run(["meta", "-o", file]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), printed.stdout)
        let library = folder.appendingPathComponent("library").path + "/"
        XCTAssertEqual(try Pagelab.run(["meta", "--output", library]).status, 0)
        let numa = try String(contentsOfFile: library + "pagelab/numa.lua", encoding: .utf8)
        XCTAssertTrue(numa.hasPrefix("---@meta\n") && numa.hasSuffix("\nreturn numa\n"), numa)
        XCTAssertTrue(try String(contentsOfFile: library + "pagelab.lua", encoding: .utf8).contains("---@class pagelab.Region\n"))
    }
}
