/// What is wrong with a pack, said the way a compiler says it: `pack 'foo': FILE:LINE: message`.
/// The pack is named by its manifest when that could be read, else by its folder.
public struct PackProblem: Error, CustomStringConvertible, Equatable, Sendable {
    public let pack: String
    public let folder: String
    public let file: String
    public let line: Int?
    public let message: String

    public init(pack: String, folder: String, file: String, line: Int?, message: String) {
        self.pack = pack
        self.folder = folder
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        "pack '\(pack)': \(file)\(line.map { ":\($0)" } ?? ""): \(message)"
    }

    /// A problem from a Lua message `chunk:line: text` about the chunk named `chunk`, which is
    /// `file` relative to the pack's folder: the line moves into `line`, the full path into `file`.
    static func fromLua(_ text: String, chunk: String, pack: String, folder: String) -> PackProblem {
        let file = folder + "/" + chunk
        guard text.hasPrefix(chunk + ":") else {
            return PackProblem(pack: pack, folder: folder, file: file, line: nil, message: text)
        }
        let rest = text.dropFirst(chunk.count + 1)
        let digits = rest.prefix { $0.isNumber }
        guard let line = Int(digits), rest.dropFirst(digits.count).hasPrefix(":") else {
            return PackProblem(pack: pack, folder: folder, file: file, line: nil, message: String(rest))
        }
        let message = rest.dropFirst(digits.count + 1).drop { $0 == " " }
        return PackProblem(pack: pack, folder: folder, file: file, line: line, message: String(message))
    }
}
