import Foundation

/// One file of a pack: its path relative to the pack's folder, and its bytes.
public struct PackFile: Equatable, Sendable {
    public let path: String
    public let bytes: [UInt8]
}

/// The files that make up a pack: every regular file under its folder, in path order, except
/// hidden ones (`.git`, editor files, the `.pagelab-pack` record of an unpacked archive). Links
/// and special files are refused, so that a pack never reaches outside its folder.
enum PackFiles {
    static let maximumCount = 10_000
    static let maximumBytes = 64 << 20

    static func read(_ folder: String) throws(PackError) -> [PackFile] {
        var files: [PackFile] = []
        var total = 0
        func walk(_ relative: String) throws(PackError) {
            let path = relative.isEmpty ? folder : folder + "/" + relative
            let entries: [String]
            do { entries = try FileManager.default.contentsOfDirectory(atPath: path).sorted() } catch {
                throw PackError("cannot read the folder \(path)")
            }
            for entry in entries where !entry.hasPrefix(".") {
                let child = relative.isEmpty ? entry : relative + "/" + entry
                let full = folder + "/" + child
                let type = (try? FileManager.default.attributesOfItem(atPath: full))?[.type] as? FileAttributeType
                switch type {
                case .typeDirectory?:
                    try walk(child)
                case .typeRegular?:
                    guard let data = FileManager.default.contents(atPath: full) else { throw PackError("cannot read \(full)") }
                    total += data.count
                    files.append(PackFile(path: child, bytes: [UInt8](data)))
                    guard files.count <= maximumCount, total <= maximumBytes else {
                        throw PackError("\(folder) holds more than \(maximumCount) files or \(maximumBytes >> 20) MiB; a pack is scenarios and modules")
                    }
                default:
                    throw PackError("\(full) is a symbolic link or a special file; a pack holds only folders and regular files")
                }
            }
        }
        try walk("")
        return files
    }

    /// Writes `files` under `folder`, making the folders they need.
    static func write(_ files: [PackFile], to folder: String) throws(PackError) {
        for file in files {
            let url = URL(fileURLWithPath: folder + "/" + file.path)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.bytes).write(to: url)
            } catch {
                throw PackError("cannot write \(url.path): \(error.localizedDescription)")
            }
        }
    }
}
