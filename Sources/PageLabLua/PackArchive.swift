import Foundation

/// A pack in one file: a POSIX ustar archive whose first member, `NAME/.pagelab-pack`, records the
/// pack's name and version and the SHA-256 of every byte of the archive after that member (the
/// pack's files and the end-of-archive blocks). Members are written in path order with mode 0644,
/// owner 0 and time 0, so the same pack always gives the same bytes, and the checksum of a pack is
/// also that of its installed folder. `tar xf` unpacks it; `tail -c +1025 FILE | sha256sum`
/// recomputes the checksum.
public enum PackArchive {
    static let recordName = ".pagelab-pack"
    static let format = "pagelab-pack 1"
    static let block = 512

    /// What an archive's record says and what it holds.
    public struct Contents: Equatable {
        public let name: String
        public let version: String
        public let checksum: String
        public let files: [PackFile]
    }

    /// A pack folder, checked whole (manifest, scenarios, every Lua file), as an archive.
    public static func pack(folder: String) throws(PackError) -> (pack: PluginPack, bytes: [UInt8], files: Int, checksum: String) {
        let files = try PackFiles.read(folder)
        let pack: PluginPack
        do { pack = try PackManifest.validate(folder, files: files, origin: .environment) } catch { throw PackError(error.description) }
        let bytes = try make(name: pack.name, version: pack.version, files: files)
        return (pack, bytes, files.count, try checksum(name: pack.name, files: files))
    }

    /// The archive of `files` as pack `name` at `version`.
    public static func make(name: String, version: String, files: [PackFile]) throws(PackError) -> [UInt8] {
        let body = try self.body(name: name, files: files)
        let record = "\(format)\nname \(name)\nversion \(version)\nsha256 \(SHA256.hex(body))\n"
        return try member(name + "/" + recordName, Array(record.utf8)) + body
    }

    /// The SHA-256 a pack's files have as an archive, whoever packed them.
    static func checksum(name: String, files: [PackFile]) throws(PackError) -> String {
        SHA256.hex(try body(name: name, files: files))
    }

    private static func body(name: String, files: [PackFile]) throws(PackError) -> [UInt8] {
        var bytes: [UInt8] = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            bytes += try member(name + "/" + file.path, file.bytes)
        }
        return bytes + [UInt8](repeating: 0, count: 2 * block)
    }

    private static func member(_ path: String, _ contents: [UInt8]) throws(PackError) -> [UInt8] {
        let pathBytes = Array(path.utf8)
        guard pathBytes.count <= 100 else {
            throw PackError("the path '\(path)' is longer than the 100 bytes a ustar name holds; shorten it")
        }
        var header = [UInt8](repeating: 0, count: block)
        func put(_ bytes: [UInt8], at offset: Int) { header.replaceSubrange(offset..<offset + bytes.count, with: bytes) }
        func octal(_ value: Int, width: Int) -> [UInt8] { Array(String(value, radix: 8).leftPadded(to: width - 1).utf8) + [0] }
        put(pathBytes, at: 0)
        put(octal(0o644, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        put(octal(contents.count, width: 12), at: 124)
        put(octal(0, width: 12), at: 136)
        put(Array("0".utf8), at: 156)
        put(Array("ustar".utf8) + [0] + Array("00".utf8), at: 257)
        put(Array(octal(headerSum(header), width: 7)) + [0x20], at: 148)
        let padding = (block - contents.count % block) % block
        return header + contents + [UInt8](repeating: 0, count: padding)
    }

    /// The header checksum: the sum of its bytes, with the checksum field counted as spaces.
    private static func headerSum(_ header: some Collection<UInt8>) -> Int {
        header.enumerated().reduce(0) { sum, element in sum + ((148..<156).contains(element.offset) ? 0x20 : Int(element.element)) }
    }

    /// Reads an archive made by `make`, checking the checksum before anything else, then every
    /// header and every path. `file` names the archive in messages.
    public static func read(_ bytes: [UInt8], file: String) throws(PackError) -> Contents {
        func refuse(_ why: String) -> PackError { PackError("\(file): \(why)") }
        var offset = 0
        guard let first = try nextMember(bytes, at: &offset, refuse: refuse) else { throw refuse("an empty archive") }
        guard first.path.hasSuffix("/" + recordName), !first.path.dropLast(recordName.count + 1).contains("/") else {
            throw refuse("not a pack archive (its first member is '\(first.path)', not NAME/\(recordName)); make one with `pagelab plugin pack`")
        }
        var record: [String: String] = [:]
        let lines = String(decoding: first.bytes, as: UTF8.self).split(separator: "\n")
        guard lines.first.map(String.init) == format else { throw refuse("the record is not '\(format)'") }
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 { record[parts[0]] = parts[1] }
        }
        guard let name = record["name"], let version = record["version"], let expected = record["sha256"] else {
            throw refuse("the record lacks its name, version or sha256 line")
        }
        let actual = SHA256.hex(bytes[offset...])
        guard actual == expected else {
            throw refuse("checksum mismatch: the archive records sha256 \(expected), but its contents hash to \(actual); it was changed or damaged after it was packed")
        }
        guard name == String(first.path.dropLast(recordName.count + 1)), PackManifest.isValidName(name) else {
            throw refuse("the record names pack '\(name)', but the archive's folder is '\(first.path.dropLast(recordName.count + 1))'")
        }
        var files: [PackFile] = []
        while let member = try nextMember(bytes, at: &offset, refuse: refuse) {
            guard member.path.hasPrefix(name + "/"), PackManifest.isInsidePack(String(member.path.dropFirst(name.count + 1))) else {
                throw refuse("the member '\(member.path)' lies outside the pack's folder '\(name)/'")
            }
            files.append(PackFile(path: String(member.path.dropFirst(name.count + 1)), bytes: member.bytes))
        }
        return Contents(name: name, version: version, checksum: actual, files: files)
    }

    /// The member at `offset`, moving past it, or nil at the end-of-archive block.
    private static func nextMember(_ bytes: [UInt8], at offset: inout Int, refuse: (String) -> PackError) throws(PackError) -> PackFile? {
        guard offset + block <= bytes.count else { throw refuse("the archive ends inside a header (truncated?)") }
        let header = bytes[offset..<offset + block]
        if header.allSatisfy({ $0 == 0 }) { return nil }
        func field(_ start: Int, _ length: Int) -> String {
            String(decoding: header.dropFirst(start).prefix(length).prefix { $0 != 0 }, as: UTF8.self)
        }
        let path = field(0, 100)
        guard let recorded = Int(field(148, 8).trimmingCharacters(in: [" "]), radix: 8), recorded == headerSum(header) else {
            throw refuse("the header of '\(path)' is damaged (its checksum does not match)")
        }
        let type = header[header.startIndex + 156]
        guard type == UInt8(ascii: "0") || type == 0 else {
            throw refuse("the member '\(path)' is not a regular file (type '\(Character(Unicode.Scalar(type)))'); a pack holds only regular files")
        }
        guard let size = Int(field(124, 12).trimmingCharacters(in: [" "]), radix: 8),
              offset + block + size <= bytes.count else {
            throw refuse("the member '\(path)' is longer than the rest of the archive (truncated?)")
        }
        let start = offset + block
        offset = start + (size + block - 1) / block * block
        return PackFile(path: path, bytes: Array(bytes[start..<start + size]))
    }
}
