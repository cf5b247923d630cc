import Foundation
@testable import PageLabLua

/// A temporary folder of pack folders, deleted with the object.
final class TemporaryPacks {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("pagelab-packs-\(UUID().uuidString)").path

    init() { try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `files` (path: text) into the pack folder `folder` and returns its path.
    @discardableResult
    func write(_ folder: String, _ files: [String: String]) throws -> String {
        let path = root + "/" + folder
        for (file, text) in files {
            let url = URL(fileURLWithPath: path + "/" + file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return path
    }

    /// A valid pack `name` with one scenario `hello` that requires `name.util`.
    @discardableResult
    func writeGood(_ name: String, in parent: String = "", version: String = "1.0.0") throws -> String {
        try write((parent.isEmpty ? "" : parent + "/") + name, [
            "plugin.lua": Self.manifest(name, version: version),
            "hello.lua": "local util = require \"\(name).util\"\nreturn { description = \"hi\", run = function() pl.record(\"greeting\", util.greet()) end }\n",
            "util.lua": "return { greet = function() return \"hello from \(name)\" end }\n",
        ])
    }

    static func manifest(_ name: String, version: String = "1.0.0", api: String = "1", extra: String = "") -> String {
        """
        return {
          name = "\(name)",
          version = "\(version)",
          api = \(api),
          description = "A test pack",
          author = "Tester",
          license = "MIT",\(extra)
          scenarios = {
            { name = "hello", file = "hello.lua", description = "Says hello" },
          },
        }

        """
    }

    /// The catalog of this folder alone.
    func catalog(_ parent: String = "") -> PluginCatalog {
        PluginCatalog(searchPaths: [parent.isEmpty ? root : root + "/" + parent], environment: [:])
    }
}
