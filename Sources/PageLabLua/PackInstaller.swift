import Foundation

/// Installs packs into the user's folder and removes them from it; the project's own packs and
/// those of `PAGELAB_PLUGINS` are never touched. A pack is checked whole in a hidden staging
/// folder beside its destination and moved into place only once it is known good, so a failed
/// install leaves the installed packs as they were.
public struct PackInstaller {
    public let userFolder: String
    public let catalog: PluginCatalog

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws(PackError) {
        guard let folder = PluginCatalog.userPluginsFolder(environment: environment) else {
            throw PackError("no folder to install packs in: set HOME or XDG_DATA_HOME")
        }
        userFolder = folder
        catalog = PluginCatalog(searchPaths: PluginCatalog.defaultSearchPaths(environment: environment), environment: environment)
    }

    /// Installs the pack in `source`, a pack folder or an archive of `pagelab plugin pack`.
    /// - Returns: what was done, for the user.
    public func install(_ source: String, force: Bool) throws(PackError) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isFolder) else {
            throw PackError("no such file or folder: \(source)")
        }
        let files: [PackFile]
        var archive: PackArchive.Contents?
        if isFolder.boolValue {
            files = try PackFiles.read(source)
        } else {
            guard let data = FileManager.default.contents(atPath: source) else { throw PackError("cannot read \(source)") }
            archive = try PackArchive.read([UInt8](data), file: source)
            files = archive!.files
        }
        let staging = userFolder + "/.staging-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let staged = staging + "/" + (archive?.name ?? "pack")
        try PackFiles.write(files, to: staged)
        let pack: PluginPack
        do {
            // A folder is checked where it is, so that messages name its files; an archive is
            // checked unpacked, and its messages name the member and the archive.
            pack = try PackManifest.validate(archive == nil ? source : staged, files: files, origin: .user)
        } catch {
            guard archive != nil else { throw PackError(error.description) }
            let member = error.file.replacingOccurrences(of: staging + "/", with: "")
            throw PackError(PackProblem(pack: error.pack, folder: source, file: member, line: error.line, message: error.message).description + " (in \(source))")
        }
        if let archive, archive.name != pack.name {
            throw PackError("\(source): the archive's folder is '\(archive.name)' but its manifest names pack '\(pack.name)'")
        }
        if let archive, archive.version != pack.version {
            throw PackError("\(source): the archive's record says version \(archive.version) but its manifest says \(pack.version)")
        }
        if let own = catalog.pack(pack.name), own.origin == .project {
            throw PackError("pack '\(pack.name)' is one of PageLab's own packs (\(own.folder)); an installed pack of that name would never run, since the project's packs come first. Rename the pack.")
        }
        let checksum = try PackArchive.checksum(name: pack.name, files: files)
        let target = userFolder + "/" + pack.name
        var replaced: String?
        if FileManager.default.fileExists(atPath: target) {
            let installed = (try? PackFiles.read(target)).flatMap { try? PackArchive.checksum(name: pack.name, files: $0) }
            let installedVersion = (try? PackManifest.load(target, origin: .user))?.version ?? "unreadable"
            if installed == checksum {
                return "pack '\(pack.name)' \(pack.version) is already installed in \(target) (same contents, sha256 \(checksum))"
            }
            guard force else {
                throw PackError("a different pack '\(pack.name)' (version \(installedVersion)) is already installed in \(target); add --force to replace it with version \(pack.version)")
            }
            replaced = installedVersion
        }
        do {
            if replaced != nil { try FileManager.default.moveItem(atPath: target, toPath: staging + "/replaced") }
            try FileManager.default.moveItem(atPath: staged, toPath: target)
        } catch {
            throw PackError("cannot move the pack into \(target): \(error.localizedDescription)")
        }
        var lines = [
            (replaced.map { "replaced pack '\(pack.name)' \($0) with \(pack.version)" } ?? "installed pack '\(pack.name)' \(pack.version)")
                + " in \(target)",
            "scenarios: " + pack.scenarios.map { "\(pack.name)/\($0.name)" }.joined(separator: ", "),
            "sha256 \(checksum)",
        ]
        if let earlier = catalog.pack(pack.name), earlier.origin == .environment {
            lines.append("note: PAGELAB_PLUGINS has a pack '\(pack.name)' too (\(earlier.folder)); it comes first while it is set")
        }
        return lines.joined(separator: "\n")
    }

    /// Removes the installed pack `name` from the user's folder.
    public func remove(_ name: String) throws(PackError) -> String {
        guard PackManifest.isValidName(name) else { throw PackError("'\(name)' is not a pack name") }
        let target = userFolder + "/" + name
        guard FileManager.default.fileExists(atPath: target + "/" + PackManifest.fileName) else {
            if let pack = catalog.pack(name) {
                let whose = pack.origin == .project ? "one of PageLab's own packs" : "a pack of \(pack.origin.rawValue)"
                throw PackError("pack '\(name)' is \(whose) (\(pack.folder)); remove works only on packs installed in \(userFolder)")
            }
            let installed = catalog.packs.filter { $0.origin == .user }.map(\.name)
            throw PackError("no pack named '\(name)' is installed in \(userFolder) (installed: \(installed.isEmpty ? "none" : installed.joined(separator: ", ")))")
        }
        do {
            try FileManager.default.removeItem(atPath: target)
        } catch {
            throw PackError("cannot remove \(target): \(error.localizedDescription)")
        }
        return "removed pack '\(name)' from \(target)"
    }
}
