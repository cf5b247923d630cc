import Foundation
import LuaBridge
import PageCore
import XCTest
@testable import PageLabLua

final class PackModulesTests: XCTestCase {
    private func workbench(_ packs: TemporaryPacks) throws -> Workbench {
        let catalog = packs.catalog()
        XCTAssertEqual(catalog.problems, [])
        return try Workbench(budget: CommitBudget(limit: 1 << 20), backend: .model(.likeHost()), packs: catalog.packs)
    }

    func testAScenarioRequiresItsPacksModules() throws {
        let packs = TemporaryPacks()
        let folder = try packs.writeGood("demo")
        try packs.write("demo", ["init.lua": "return { top = true }", "lib/deep.lua": "return { depth = 2 }", "lib/init.lua": "return { lib = true }"])
        let bench = try workbench(packs)
        try bench.run(file: folder + "/hello.lua", settings: [])
        XCTAssertEqual(bench.session.results.first?.value, .string("hello from demo"))
        XCTAssertEqual(try bench.vm.run("return select(2, require('demo.lib.deep'))"), [.string(folder + "/lib/deep.lua")], "require's second result")
        XCTAssertEqual(try bench.vm.run("return require('demo').top, require('demo.lib.deep').depth, require('demo.lib').lib"),
                       [.boolean(true), .integer(2), .boolean(true)])
    }

    func testTheSearcherStillWorksWithoutLuasPathAndCSearchers() throws {
        let packs = TemporaryPacks()
        try packs.writeGood("demo")
        let bench = try workbench(packs)
        // What a sandbox does: only package.preload's searcher and the packs' remain.
        try bench.vm.run("for i = #package.searchers, 3, -1 do package.searchers[i] = nil end")
        XCTAssertEqual(try bench.vm.run("return require('demo.util').greet()"), [.string("hello from demo")])
    }

    func testNamesThatWouldLeaveThePackAreNotFound() throws {
        let packs = TemporaryPacks()
        let folder = try packs.writeGood("demo")
        try packs.write("secret", ["x.lua": "return 'secret'"])
        try FileManager.default.createSymbolicLink(atPath: folder + "/escape.lua", withDestinationPath: packs.root + "/secret/x.lua")
        let bench = try workbench(packs)
        for name in ["demo..secret.x", "demo./etc/passwd", "demo.../secret/x", "demo.escape"] {
            XCTAssertThrowsError(try bench.vm.run("return require(...)".replacingOccurrences(of: "...", with: "'\(name)'"))) { error in
                XCTAssertTrue(error.shown.contains("module '\(name)' not found"), error.shown)
            }
        }
        XCTAssertEqual(PackModules.lookup("demo.escape", in: packs.catalog().packs), .notFound(
            "no file '\(folder)/escape.lua' in pack 'demo'\n\tno file '\(folder)/escape/init.lua' in pack 'demo'"))
        XCTAssertEqual(PackModules.lookup("nopack.x", in: packs.catalog().packs), .notFound("no pack named 'nopack'"))
    }

    func testASyntaxErrorInAModuleNamesItsFileAndLine() throws {
        let packs = TemporaryPacks()
        let folder = try packs.writeGood("demo")
        try packs.write("demo", ["broken.lua": "local x = 1\nreturn {\n  x = = 1,\n}\n"])
        let bench = try workbench(packs)
        XCTAssertThrowsError(try bench.vm.run("require 'demo.broken'")) { error in
            // Lua shortens long chunk names from the left (LUA_IDSIZE): the pack folder's tail stays.
            let lines = error.shown.components(separatedBy: "\n\t")
            XCTAssertEqual(lines.first, "error loading module 'demo.broken' from file '\(folder)/broken.lua':")
            XCTAssertEqual(lines.last?.hasSuffix("/demo/broken.lua:3: unexpected symbol near '='"), true, error.shown)
        }
    }
}
