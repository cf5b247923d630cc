import PageJVM
import XCTest

final class JDKTests: XCTestCase {
    /// The G1 side tables and limits that changed between releases (`docs/hotspot.md` §0).
    func testReleaseDifferencesOfG1() {
        XCTAssertEqual(JDK.v17.g1MarkBitmaps, ["Prev Bitmap", "Next Bitmap"])
        XCTAssertEqual(JDK.v21.g1MarkBitmaps, ["Mark Bitmap"])
        XCTAssertTrue(JDK.v17.g1HasCardCounts)
        XCTAssertFalse(JDK.v25.g1HasCardCounts)
        XCTAssertEqual(JDK.v17.g1MaxRegionSize, 32 << 20)
        XCTAssertEqual(JDK.v21.g1MaxRegionSize, 512 << 20)
    }
}
