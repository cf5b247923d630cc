import Foundation
import LuaBridge

/// `require "foo.util"` loads `util.lua` of pack `foo`, and `require "foo"` its `init.lua`: a pack
/// carries its own modules, found wherever the pack is installed, and only inside pack folders.
enum PackModules {
    /// Installs the searcher in `vm`. `packs` is asked on the first `require` that reaches it, so
    /// that a run which requires no pack module never reads the catalog.
    static func install(in vm: LuaVM, packs: @escaping () -> [PluginPack]) {
        var known: [PluginPack]?
        vm.addSearcher { name in
            if known == nil { known = packs() }
            return lookup(name, in: known ?? [])
        }
    }

    /// The file that defines module `name`: `PACK.a.b` is `a/b.lua` or `a/b/init.lua` in the
    /// folder of pack `PACK`; `PACK` alone is its `init.lua`. Every part is a plain name, and the
    /// file, symbolic links resolved, must lie inside the pack's folder.
    static func lookup(_ name: String, in packs: [PluginPack]) -> LuaModuleLookup {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let pack = packs.first(where: { $0.name == parts[0] }) else {
            return .notFound("no pack named '\(parts[0])'")
        }
        guard parts.dropFirst().allSatisfy(PackManifest.isValidName) else {
            return .notFound("'\(name)' is not a module of pack '\(pack.name)' (PACK.NAME.NAME..., each a letter, then letters, digits, '-' or '_')")
        }
        let path = parts.dropFirst().joined(separator: "/")
        let candidates = path.isEmpty ? ["init.lua"] : [path + ".lua", path + "/init.lua"]
        let folder = PluginCatalog.standardized(pack.folder)
        for candidate in candidates {
            let file = PluginCatalog.standardized(folder + "/" + candidate)
            var isFolder: ObjCBool = false
            if file.hasPrefix(folder + "/"), FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), !isFolder.boolValue {
                return .file(file)
            }
        }
        return .notFound(candidates.map { "no file '\(pack.folder)/\($0)' in pack '\(pack.name)'" }.joined(separator: "\n\t"))
    }
}
