import Foundation
import XCTest
@testable import PageLabLua

final class PackInstallerTests: XCTestCase {
    private var packs: TemporaryPacks!
    private var installer: PackInstaller!
    private var user: String { packs.root + "/data/pagelab/plugins" }

    override func setUpWithError() throws {
        packs = TemporaryPacks()
        installer = try PackInstaller(environment: ["XDG_DATA_HOME": packs.root + "/data", "HOME": packs.root])
    }

    override func tearDown() { packs = nil }

    private func refusal(_ body: () throws -> String) -> String {
        do {
            _ = try body()
            return "(no refusal)"
        } catch {
            return "\(error)"
        }
    }

    func testInstallFromAFolderThenAgainThenADifferentOne() throws {
        let source = try packs.writeGood("demo", in: "src")
        let first = try installer.install(source, force: false)
        let checksum = try PackArchive.checksum(name: "demo", files: try PackFiles.read(source))
        XCTAssertEqual(first, "installed pack 'demo' 1.0.0 in \(user)/demo\nscenarios: demo/hello\nsha256 \(checksum)")
        XCTAssertEqual(try String(contentsOfFile: user + "/demo/util.lua", encoding: .utf8), "return { greet = function() return \"hello from demo\" end }\n")
        XCTAssertEqual(try installer.install(source, force: false),
                       "pack 'demo' 1.0.0 is already installed in \(user)/demo (same contents, sha256 \(checksum))")

        let newer = try packs.writeGood("demo", in: "newer", version: "1.1.0")
        XCTAssertEqual(refusal { try self.installer.install(newer, force: false) },
                       "a different pack 'demo' (version 1.0.0) is already installed in \(user)/demo; add --force to replace it with version 1.1.0")
        XCTAssertTrue(try installer.install(newer, force: true).hasPrefix("replaced pack 'demo' 1.0.0 with 1.1.0 in \(user)/demo\n"))
        let catalog = PluginCatalog(searchPaths: [user], environment: ["XDG_DATA_HOME": packs.root + "/data"])
        XCTAssertEqual(catalog.packs.map { "\($0.name) \($0.version) \($0.origin)" }, ["demo 1.1.0 user"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: user), ["demo"], "no staging folder is left behind")
    }

    func testInstallFromAnArchiveAndRefuseATamperedOne() throws {
        let source = try packs.writeGood("demo", in: "src")
        let packed = try PackArchive.pack(folder: source)
        let archive = packs.root + "/demo.tar"
        try Data(packed.bytes).write(to: URL(fileURLWithPath: archive))
        XCTAssertTrue(try installer.install(archive, force: false).hasSuffix("sha256 \(packed.checksum)"))
        XCTAssertTrue(try installer.install(source, force: false).contains("already installed"), "a folder and its archive are the same pack")

        var tampered = packed.bytes
        tampered[tampered.count - 1100] ^= 0x20
        try Data(tampered).write(to: URL(fileURLWithPath: archive))
        XCTAssertTrue(refusal { try self.installer.install(archive, force: true) }.hasPrefix("\(archive): checksum mismatch"))
    }

    func testABrokenPackIsNotInstalledAndItsProblemIsNamed() throws {
        let source = try packs.write("src/demo", [
            "plugin.lua": TemporaryPacks.manifest("demo"),
            "hello.lua": "return { run = function() end }\n",
            "lib.lua": "return {\n  oops = ,\n}\n",
        ])
        XCTAssertEqual(refusal { try self.installer.install(source, force: false) },
                       "pack 'demo': \(source)/lib.lua:2: unexpected symbol near ','")
        XCTAssertFalse(FileManager.default.fileExists(atPath: user + "/demo"))
        XCTAssertEqual(refusal { try PackArchive.pack(folder: source).checksum }, "pack 'demo': \(source)/lib.lua:2: unexpected symbol near ','")

        // Inside an archive, the message names the member and the archive.
        try packs.write("src/demo", ["lib.lua": "return {}\n"])
        let archive = packs.root + "/demo.tar"
        var files = try PackFiles.read(source)
        files.append(PackFile(path: "hello.lua", bytes: Array("return {\n  run = function() end\n  x = 1\n}\n".utf8)))
        files.removeAll { $0.path == "hello.lua" && $0.bytes.count < 40 }
        try Data(try PackArchive.make(name: "demo", version: "1.0.0", files: files)).write(to: URL(fileURLWithPath: archive))
        XCTAssertEqual(refusal { try self.installer.install(archive, force: false) },
                       "pack 'demo': demo/hello.lua:3: '}' expected (to close '{' at line 1) near 'x' (in \(archive))")
    }

    func testTheProjectsPackNamesAreRefused() throws {
        let source = try packs.writeGood("host", in: "src")
        XCTAssertTrue(refusal { try self.installer.install(source, force: true) }.hasPrefix("pack 'host' is one of PageLab's own packs ("))
    }

    func testRemoveTouchesOnlyTheUsersPacks() throws {
        _ = try installer.install(try packs.writeGood("demo", in: "src"), force: false)
        XCTAssertEqual(try installer.remove("demo"), "removed pack 'demo' from \(user)/demo")
        XCTAssertFalse(FileManager.default.fileExists(atPath: user + "/demo"))
        XCTAssertEqual(refusal { try self.installer.remove("demo") }, "no pack named 'demo' is installed in \(user) (installed: none)")
        XCTAssertTrue(refusal { try self.installer.remove("host") }.hasPrefix("pack 'host' is one of PageLab's own packs ("))
        XCTAssertTrue(refusal { try self.installer.remove("host") }.hasSuffix("); remove works only on packs installed in \(user)"))
        XCTAssertEqual(refusal { try self.installer.remove("../data") }, "'../data' is not a pack name")
    }

    func testNewWritesAPackThatValidatesAndRefusesToOverwrite() throws {
        let folder = try PackSkeleton.create("fresh", in: packs.root)
        let pack = try PackManifest.validate(folder, files: try PackFiles.read(folder), origin: .environment)
        XCTAssertEqual(pack.scenarios.map(\.name), ["touch", "selftest"])
        XCTAssertEqual(refusal { try PackSkeleton.create("fresh", in: self.packs.root) }, "\(folder) already exists; choose another name or --dir")
        XCTAssertEqual(refusal { try PackSkeleton.create("9lives", in: self.packs.root) },
                       "'9lives' is not a pack name: a letter, then letters, digits, '-' or '_' (at most 64)")
    }
}
