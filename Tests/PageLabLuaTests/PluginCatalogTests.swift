import Foundation
import XCTest
@testable import PageLabLua

final class PluginCatalogTests: XCTestCase {
    /// The only problem of a catalog of one good pack and one pack whose manifest is `manifest`.
    private func problem(manifest: String, files: [String: String] = ["hello.lua": "return { run = function() end }"]) throws -> PackProblem {
        let packs = TemporaryPacks()
        try packs.writeGood("good")
        var all = files
        all["plugin.lua"] = manifest
        let folder = try packs.write("bad", all)
        let catalog = packs.catalog()
        XCTAssertEqual(catalog.packs.map(\.name), ["good"], "the good pack still lists")
        XCTAssertEqual(catalog.broken.count, 1, catalog.problems.joined(separator: "\n"))
        let problem = try XCTUnwrap(catalog.broken.first)
        XCTAssertEqual(problem.folder, folder)
        return problem
    }

    func testAGoodPackReadsEveryField() throws {
        let packs = TemporaryPacks()
        let folder = try packs.writeGood("demo", version: "2.1.0-beta.1")
        let catalog = packs.catalog()
        XCTAssertEqual(catalog.broken, [])
        XCTAssertEqual(catalog.packs, [PluginPack(
            name: "demo", version: "2.1.0-beta.1", api: 1, description: "A test pack", author: "Tester", license: "MIT",
            folder: folder, origin: .environment,
            scenarios: [PackScenario(name: "hello", file: folder + "/hello.lua", description: "Says hello")])])
    }

    func testASyntaxErrorInTheManifestNamesFileAndLine() throws {
        let problem = try problem(manifest: "return {\n  name = \"bad\",\n  version = \"1.0\"\n  api = 1,\n}\n")
        XCTAssertEqual(problem.description, "pack 'bad': \(problem.folder)/plugin.lua:4: '}' expected (to close '{' at line 1) near 'api'")
    }

    func testARuntimeErrorInTheManifestNamesTheLine() throws {
        // A manifest runs with no globals at all: it cannot reach os, io or require.
        let problem = try problem(manifest: "local x = 1\nos.execute(\"true\")\nreturn {}\n")
        XCTAssertEqual(problem.line, 2)
        XCTAssertEqual(problem.message, "attempt to index a nil value (global 'os')")
    }

    func testAManifestThatLoopsForeverIsStopped() throws {
        let problem = try problem(manifest: "local n = 0\nwhile true do\n  n = n + 1\nend\n")
        XCTAssertEqual(problem.file, problem.folder + "/plugin.lua")
        XCTAssertTrue([2, 3].contains(problem.line), "\(problem)")
        XCTAssertEqual(problem.message, "the manifest ran past 10000000 instructions (a manifest only returns a table)")
    }

    func testMissingAndMistypedFieldsAreNamedWithTheirLine() throws {
        let noAuthor = try problem(manifest: TemporaryPacks.manifest("bad").replacingOccurrences(of: "  author = \"Tester\",\n", with: ""))
        XCTAssertEqual(noAuthor.description, "pack 'bad': \(noAuthor.folder)/plugin.lua: the manifest has no 'author' field")
        let numberVersion = try problem(manifest: TemporaryPacks.manifest("bad").replacingOccurrences(of: "version = \"1.0.0\"", with: "version = 1"))
        XCTAssertEqual(numberVersion.line, 3)
        XCTAssertEqual(numberVersion.message, "'version' must be a non-empty string (it is a number)")
        let badVersion = try problem(manifest: TemporaryPacks.manifest("bad", version: "one"))
        XCTAssertEqual(badVersion.message, "version 'one' is not a version number such as 1.0.0")
        let typo = try problem(manifest: TemporaryPacks.manifest("bad", extra: "\n  licence = \"MIT\","))
        XCTAssertEqual(typo.line, 8)
        XCTAssertEqual(typo.message, "unknown field 'licence' (fields: name, version, api, description, author, license, scenarios)")
        let badName = try problem(manifest: TemporaryPacks.manifest("no.dots"))
        XCTAssertEqual(badName.pack, "bad", "a pack with an unusable name is named by its folder")
        XCTAssertEqual(badName.message, "pack name 'no.dots' may hold only letters, digits, '-' and '_', and starts with a letter")
        let notATable = try problem(manifest: "return 42\n")
        XCTAssertEqual(notATable.message, "the manifest returns a number, not a table { name =, version =, api =, description =, author =, license =, scenarios = }")
    }

    func testAnUnsupportedAPIVersionIsRefused() throws {
        let problem = try problem(manifest: TemporaryPacks.manifest("bad", api: "2"))
        XCTAssertEqual(problem.description, "pack 'bad': \(problem.folder)/plugin.lua:4: unsupported PageLab API version 2 (this PageLab supports API 1)")
    }

    func testAMissingScenarioFileIsNamed() throws {
        let problem = try problem(manifest: TemporaryPacks.manifest("bad"), files: [:])
        XCTAssertEqual(problem.description, "pack 'bad': \(problem.folder)/plugin.lua:9: scenario 'hello' names a missing file 'hello.lua'")
    }

    func testAScenarioFileOutsideThePackIsRefused() throws {
        let manifest = TemporaryPacks.manifest("bad").replacingOccurrences(of: "file = \"hello.lua\"", with: "file = \"../good/hello.lua\"")
        let problem = try problem(manifest: manifest)
        XCTAssertEqual(problem.message, "scenario 'hello': file '../good/hello.lua' must be a .lua file inside the pack (a relative path, no '..', nothing hidden)")
        let hidden = try self.problem(
            manifest: TemporaryPacks.manifest("bad").replacingOccurrences(of: "file = \"hello.lua\"", with: "file = \".hidden.lua\""),
            files: [".hidden.lua": "return {}"])
        XCTAssertEqual(hidden.line, 9)
    }

    func testASyntaxErrorInAScenarioNamesTheScenarioFileAndLine() throws {
        let problem = try problem(manifest: TemporaryPacks.manifest("bad"), files: ["hello.lua": "return {\n  run = function()\n    local x = = 1\n  end,\n}\n"])
        XCTAssertEqual(problem.description, "pack 'bad': \(problem.folder)/hello.lua:3: unexpected symbol near '='")
    }

    func testTheFirstPackOfANameWinsAndTheOtherIsReported() throws {
        let packs = TemporaryPacks()
        let first = try packs.writeGood("twin", in: "a")
        let second = try packs.writeGood("twin", in: "b")
        try packs.writeGood("other", in: "b")
        let catalog = PluginCatalog(searchPaths: [packs.root + "/a", packs.root + "/b"], environment: [:])
        XCTAssertEqual(catalog.packs.map(\.folder), [first, packs.root + "/b/other"])
        XCTAssertEqual(catalog.problems, [
            "pack 'twin': \(second)/plugin.lua:2: a pack named 'twin' was already found in \(first) (PAGELAB_PLUGINS), which comes first in the search order; this one is ignored",
        ])
    }

    func testOriginsFollowTheSearchPath() throws {
        let packs = TemporaryPacks()
        try packs.writeGood("mine", in: "data/pagelab/plugins")
        try packs.writeGood("theirs", in: "env")
        let catalog = PluginCatalog(
            searchPaths: [packs.root + "/env", packs.root + "/data/pagelab/plugins"], environment: ["XDG_DATA_HOME": packs.root + "/data"])
        XCTAssertEqual(catalog.packs.map(\.origin), [.environment, .user])
        XCTAssertEqual(PluginCatalog.userPluginsFolder(environment: ["HOME": "/home/u"]), "/home/u/.local/share/pagelab/plugins")
        XCTAssertEqual(PluginCatalog.userPluginsFolder(environment: ["HOME": "/home/u", "XDG_DATA_HOME": "relative"]), "/home/u/.local/share/pagelab/plugins")
    }

    func testEveryShippedScenarioLivesInAPackWithAuthorAndLicense() throws {
        let plugins = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../plugins").standardized.path
        let catalog = PluginCatalog(searchPaths: [plugins])
        XCTAssertEqual(catalog.problems, [])
        XCTAssertEqual(Set(catalog.packs.map(\.name)), Set(try FileManager.default.contentsOfDirectory(atPath: plugins)))
        for pack in catalog.packs {
            XCTAssertEqual(pack.origin, .project, pack.name)
            XCTAssertEqual(pack.author, "PageLab developers", pack.name)
            XCTAssertEqual(pack.license, "MIT", pack.name)
            let files = try FileManager.default.contentsOfDirectory(atPath: pack.folder).filter { $0.hasSuffix(".lua") && $0 != "plugin.lua" }
            XCTAssertEqual(Set(files.map { pack.folder + "/" + $0 }), Set(pack.scenarios.map(\.file)), "\(pack.name): a Lua file that is no scenario")
        }
    }
}
