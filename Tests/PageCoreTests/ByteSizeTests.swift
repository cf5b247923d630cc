import XCTest
@testable import PageCore

final class ByteSizeTests: XCTestCase {
    func testParse() throws {
        let cases: [(String, Int)] = [("4096", 4096), ("4k", 4 * KiB), ("4K", 4 * KiB), ("256M", 256 * MiB), ("8g", 8 * GiB),
                                      ("1t", 1 << 40), ("0", 0)]
        for (text, bytes) in cases {
            XCTAssertEqual(try ByteSize.parse(text), bytes, text)
        }
    }

    func testParseRejects() {
        for text in ["8x", "-1", "", "k", "1.5g", " 4k", "4kb", "0x10"] {
            let error = assertPageError(.invalidArgument(parameter: "size")) { try ByteSize.parse(text) }
            XCTAssertEqual(error?.message, "invalid size \"\(text)\" (expected a number with an optional k, m, g or t suffix)")
        }
        for text in ["99999999t", "99999999999999999999"] {
            let error = assertPageError(.invalidArgument(parameter: "size")) { try ByteSize.parse(text) }
            XCTAssertEqual(error?.message, "invalid size \"\(text)\" (too large)")
        }
    }

    func testFormat() {
        let cases: [(Int, String)] = [(0, "0"), (100, "100"), (4 * KiB, "4K"), (256 * MiB, "256M"), (3 * GiB / 2, "1.5G"),
                                      (1 << 40, "1T"), (-4 * KiB, "-4K"), (4 * KiB + 1, "4.0K")]
        for (bytes, text) in cases {
            XCTAssertEqual(ByteSize.format(bytes), text)
        }
    }
}
