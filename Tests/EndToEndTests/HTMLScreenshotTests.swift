import Foundation
import XCTest

/// `--html` rendered by a real browser: headless Chromium takes a screenshot, and the picture must
/// hold the page's colours where the address-space map and the page maps draw them.
final class HTMLScreenshotTests: XCTestCase {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    func testTheReportRendersWithTheMapsColours() throws {
        guard let chromium = Self.chromium else {
            throw XCTSkip("chromium is not installed (scripts/setup installs Debian's chromium)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pagelab-html-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let html = folder.appendingPathComponent("report.html").path
        let png = folder.appendingPathComponent("report.png").path
        let run = try Pagelab.run(["run", "host/commit-vs-resident", "--set", "reserve=64m", "--set", "commit=32m",
                                   "--set", "write=8m", "--set", "read=8m", "--html", html])
        XCTAssertEqual(run.status, 0, run.stderr)

        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: chromium)
        browser.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--screenshot=\(png)",
                             "--window-size=1280,1600", "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
                             URL(fileURLWithPath: html).absoluteString]
        browser.standardOutput = FileHandle.nullDevice
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        browser.waitUntilExit()
        XCTAssertEqual(browser.terminationStatus, 0)

        // reserved, committed, resident and zero-page colours of the map, and the white of the sections.
        let colours = ["dfe3ea", "9ecae1", "2166ac", "fdd49e", "ffffff"]
        let picture = try PNGColours.summary(of: png, counting: colours)
        XCTAssertEqual(picture.width, 1280)
        XCTAssertEqual(picture.height, 1600)
        XCTAssertGreaterThan(picture.distinct, 50, "the screenshot is (nearly) blank")
        for colour in colours {
            XCTAssertGreaterThan(picture.counts[colour] ?? 0, 500, "colour #\(colour) is missing from the screenshot")
        }
        // No colour fills the page: white sections on a grey page, with maps and tables in them.
        let pixels = picture.width * picture.height
        XCTAssertLessThan(picture.counts["ffffff"] ?? 0, pixels * 9 / 10)
    }
}
