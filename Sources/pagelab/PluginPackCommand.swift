import ArgumentParser
import Foundation
import PageLabLua

struct PluginPackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack", abstract: "Check a pack folder and write it as one archive with its SHA-256.")

    @Argument(help: ArgumentHelp("The pack's folder.", valueName: "folder"))
    var folder: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The archive to write (default: NAME-VERSION.pagelab.tar here).", valueName: "file"))
    var output: String?

    func run() throws {
        do {
            let packed = try PackArchive.pack(folder: folder)
            let file = output ?? "\(packed.pack.name)-\(packed.pack.version).pagelab.tar"
            do {
                try Data(packed.bytes).write(to: URL(fileURLWithPath: file))
            } catch {
                throw PackError("cannot write \(file): \(error.localizedDescription)")
            }
            print("""
                packed '\(packed.pack.name)' \(packed.pack.version) (\(packed.files) files) into \(file)
                sha256 \(packed.checksum)
                """)
        } catch let error as PackError {
            throw error.exit
        }
    }
}
