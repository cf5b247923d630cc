import Foundation
import XCTest

final class PluginCommandTests: XCTestCase {
    private var root = ""
    /// Packs of `root` are found through PAGELAB_PLUGINS, and installed ones under `root/data`.
    private var environment: [String: String] { ["PAGELAB_PLUGINS": root, "XDG_DATA_HOME": root + "/data", "HOME": root] }
    private var user: String { root + "/data/pagelab/plugins" }

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pagelab-e2e-packs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try FileManager.default.removeItem(atPath: root) }

    private func pagelab(_ arguments: String...) throws -> Pagelab.Result {
        try Pagelab.run(arguments, environment: environment)
    }

    func testANewPackRunsItsScenarioAndItsTest() throws {
        let new = try pagelab("plugin", "new", "demo", "--dir", root)
        XCTAssertEqual(new.status, 0, new.stderr)
        XCTAssertEqual(new.stdout, """
            created pack 'demo' in \(root)/demo
            try it:  PAGELAB_PLUGINS=\(root) pagelab run demo/touch
            test it: PAGELAB_PLUGINS=\(root) pagelab run demo/selftest

            """)
        let touch = try pagelab("run", "demo/touch", "--set", "size=2m", "--set", "fraction=0.5")
        XCTAssertEqual(touch.status, 0, touch.stderr)
        XCTAssertEqual(touch.stdout, "committed 2M, wrote 1M, resident 1M\n")
        let test = try pagelab("run", "demo/selftest")
        XCTAssertEqual(test.status, 0, test.stderr)
        XCTAssertTrue(test.stdout.hasSuffix("\nselftest passed\n"), test.stdout)

        // The test can fail: break the module and it stops at its first check, with the line.
        try "return { whole_pages = function(bytes) return bytes end }\n".write(toFile: root + "/demo/util.lua", atomically: true, encoding: .utf8)
        let failed = try pagelab("run", "demo/selftest")
        XCTAssertEqual(failed.status, 1)
        // Lua shortens a long file name from the left; its end names the pack's file.
        let first = failed.stderr.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(first.hasSuffix("/demo/selftest.lua:10: whole_pages rounds down to whole pages"), failed.stderr)
    }

    func testPackInstallListInfoAndRemove() throws {
        XCTAssertEqual(try pagelab("plugin", "new", "demo", "--dir", root + "/src").status, 0)
        let archive = root + "/demo.tar"
        let pack = try pagelab("plugin", "pack", root + "/src/demo", "-o", archive)
        XCTAssertEqual(pack.status, 0, pack.stderr)
        let checksum = try XCTUnwrap(pack.stdout.split(separator: "\n").last?.split(separator: " ").last.map(String.init))
        XCTAssertEqual(pack.stdout, "packed 'demo' 0.1.0 (5 files) into \(archive)\nsha256 \(checksum)\n")

        let install = try pagelab("plugin", "install", archive)
        XCTAssertEqual(install.status, 0, install.stderr)
        XCTAssertEqual(install.stdout, """
            installed pack 'demo' 0.1.0 in \(user)/demo
            scenarios: demo/touch, demo/selftest
            sha256 \(checksum)

            """)
        XCTAssertEqual(try pagelab("plugin", "install", archive).stdout,
                       "pack 'demo' 0.1.0 is already installed in \(user)/demo (same contents, sha256 \(checksum))\n")

        let list = try pagelab("plugin", "list")
        XCTAssertEqual(list.status, 0, list.stderr)
        let rows = list.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(rows.first, ["pack", "version", "scenarios", "from", "folder"], list.stdout)
        XCTAssertTrue(rows.contains(["demo", "0.1.0", "2", "user", "\(user)/demo"]), list.stdout)
        XCTAssertTrue(rows.contains { $0.prefix(4) == ["host", "0.1.0", "3", "project"] }, list.stdout)

        let info = try pagelab("plugin", "info", "demo")
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertEqual(info.stdout, """
            name:         demo
            version:      0.1.0
            api:          1
            description:  A new PageLab pack: commit a region and touch part of it
            author:       Your Name
            license:      MIT
            folder:       \(user)/demo
            from:         user

            scenarios:
              demo/touch     Commit a region, write a fraction of it, and show what became resident
              demo/selftest  Runs touch with small sizes and checks what it measured

            """)
        XCTAssertEqual(try pagelab("run", "demo/selftest").status, 0, "the installed pack runs")

        let remove = try pagelab("plugin", "remove", "demo")
        XCTAssertEqual(remove.stdout, "removed pack 'demo' from \(user)/demo\n")
        let own = try pagelab("plugin", "remove", "host")
        XCTAssertEqual(own.status, 64)
        XCTAssertTrue(own.stderr.hasPrefix("Error: pack 'host' is one of PageLab's own packs ("), own.stderr)
    }

    func testATamperedArchiveIsRefused() throws {
        XCTAssertEqual(try pagelab("plugin", "new", "demo", "--dir", root + "/src").status, 0)
        let archive = root + "/demo.tar"
        XCTAssertEqual(try pagelab("plugin", "pack", root + "/src/demo", "-o", archive).status, 0)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: archive)))
        bytes[2048] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: archive))
        let install = try pagelab("plugin", "install", archive)
        XCTAssertEqual(install.status, 64)
        XCTAssertTrue(install.stderr.hasPrefix("Error: \(archive): checksum mismatch: the archive records sha256 "), install.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: user + "/demo"))
    }

    func testABrokenPackIsListedWithItsProblemAndTheOthersStillRun() throws {
        XCTAssertEqual(try pagelab("plugin", "new", "good", "--dir", root).status, 0)
        try FileManager.default.createDirectory(atPath: root + "/bad", withIntermediateDirectories: true)
        try "return {\n  name = \"bad\",\n  version = \"1.0\"\n  api = 1,\n}\n".write(toFile: root + "/bad/plugin.lua", atomically: true, encoding: .utf8)
        let problem = "pack 'bad': \(root)/bad/plugin.lua:4: '}' expected (to close '{' at line 1) near 'api'"

        let list = try pagelab("list")
        XCTAssertEqual(list.status, 0)
        XCTAssertEqual(list.stderr, "pagelab: warning: \(problem)\n")
        XCTAssertTrue(list.stdout.hasPrefix("""
            good 0.1.0: A new PageLab pack: commit a region and touch part of it
              good/touch     Commit a region, write a fraction of it, and show what became resident
              good/selftest  Runs touch with small sizes and checks what it measured

            """), list.stdout)
        let plugins = try pagelab("plugin", "list")
        XCTAssertTrue(plugins.stdout.hasSuffix("\n\nbroken packs:\n  \(problem)\n"), plugins.stdout)

        XCTAssertEqual(try pagelab("run", "good/selftest").status, 0)
        let broken = try pagelab("run", "bad/anything")
        XCTAssertEqual(broken.status, 64)
        XCTAssertEqual(broken.stderr, "Error: \(problem) (the pack is broken)\n")
    }
}
