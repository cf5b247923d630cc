import Foundation
import XCTest
@testable import PageLabLua

final class PackArchiveTests: XCTestCase {
    private let files = [
        PackFile(path: "plugin.lua", bytes: Array("return {}".utf8)),
        PackFile(path: "lib/util.lua", bytes: Array(repeating: 0x2d, count: 700)),
        PackFile(path: "empty.lua", bytes: []),
    ]

    func testAnArchiveReadsBackWithItsChecksum() throws {
        let bytes = try PackArchive.make(name: "demo", version: "1.2.3", files: files)
        XCTAssertEqual(bytes.count % 512, 0)
        let contents = try PackArchive.read(bytes, file: "demo.tar")
        XCTAssertEqual(contents.name, "demo")
        XCTAssertEqual(contents.version, "1.2.3")
        XCTAssertEqual(contents.files, files.sorted { $0.path < $1.path })
        XCTAssertEqual(contents.checksum, SHA256.hex(bytes[1024...]), "the record covers everything after itself")
        XCTAssertEqual(try PackArchive.checksum(name: "demo", files: files.reversed()), contents.checksum, "the same files give the same checksum")
        XCTAssertEqual(try PackArchive.make(name: "demo", version: "1.2.3", files: files.reversed()), bytes, "archives are reproducible")
    }

    func testGNUTarReadsTheArchive() throws {
        let archive = FileManager.default.temporaryDirectory.appendingPathComponent("pagelab-\(UUID()).tar").path
        defer { try? FileManager.default.removeItem(atPath: archive) }
        try Data(try PackArchive.make(name: "demo", version: "1.0", files: files)).write(to: URL(fileURLWithPath: archive))
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tar") else { throw XCTSkip("no /usr/bin/tar on this machine") }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["tf", archive]
        let out = Pipe()
        tar.standardOutput = out
        try tar.run()
        let listing = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tar.waitUntilExit()
        XCTAssertEqual(tar.terminationStatus, 0)
        XCTAssertEqual(listing, "demo/.pagelab-pack\ndemo/empty.lua\ndemo/lib/util.lua\ndemo/plugin.lua\n")
    }

    func testAChangedByteFailsTheChecksum() throws {
        var bytes = try PackArchive.make(name: "demo", version: "1.0", files: files)
        let index = 1024 + 512 * 3 + 10  // inside lib/util.lua's contents
        bytes[index] ^= 0x01
        XCTAssertThrowsError(try PackArchive.read(bytes, file: "demo.tar")) { error in
            let message = (error as? PackError)?.message ?? ""
            XCTAssertTrue(message.hasPrefix("demo.tar: checksum mismatch: the archive records sha256 "), message)
            XCTAssertTrue(message.hasSuffix("; it was changed or damaged after it was packed"), message)
        }
        XCTAssertThrowsError(try PackArchive.read(Array(bytes.prefix(1536 + 100)), file: "demo.tar"), "a truncated archive")
    }

    func testMembersOutsideThePackFolderAreRefusedEvenWithAGoodChecksum() throws {
        let evil = [PackFile(path: "../escape.lua", bytes: Array("x".utf8))]
        let bytes = try PackArchive.make(name: "demo", version: "1.0", files: evil)
        XCTAssertThrowsError(try PackArchive.read(bytes, file: "evil.tar")) { error in
            XCTAssertEqual((error as? PackError)?.message, "evil.tar: the member 'demo/../escape.lua' lies outside the pack's folder 'demo/'")
        }
    }

    func testAnOrdinaryTarIsNotAPack() throws {
        let bytes = try PackArchive.make(name: "demo", version: "1.0", files: files)
        XCTAssertThrowsError(try PackArchive.read(Array(bytes[1024...]), file: "plain.tar")) { error in
            XCTAssertEqual((error as? PackError)?.message,
                           "plain.tar: not a pack archive (its first member is 'demo/empty.lua', not NAME/.pagelab-pack); make one with `pagelab plugin pack`")
        }
        XCTAssertThrowsError(try PackArchive.read([], file: "empty.tar"))
    }
}
