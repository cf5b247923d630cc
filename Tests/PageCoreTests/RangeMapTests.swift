import XCTest
@testable import PageCore

final class RangeMapTests: XCTestCase {
    private func ranges<V>(_ map: RangeMap<V>) -> [Range<Int>] { map.segments.map(\.range) }

    func testAssignMergesEqualNeighboursAndSplitsOthers() {
        var map = RangeMap<Protection>()
        map.assign(.rw, to: 0..<10)
        map.assign(.rw, to: 10..<20)
        XCTAssertEqual(ranges(map), [0..<20])
        map.assign(.r, to: 5..<8)
        XCTAssertEqual(map.segments.map(\.value), [.rw, .r, .rw])
        XCTAssertEqual(ranges(map), [0..<5, 5..<8, 8..<20])
        map.assign(.rw, to: 5..<8)
        XCTAssertEqual(ranges(map), [0..<20])
        XCTAssertEqual(map.value(at: 19), .rw)
        XCTAssertNil(map.value(at: 20))
    }

    func testRemoveGapsAndCoverage() {
        var set = RangeSet()
        set.insert(0..<100)
        set.remove(10..<20)
        set.remove(90..<200)
        XCTAssertEqual(ranges(set), [0..<10, 20..<90])
        XCTAssertEqual(set.count, 80)
        XCTAssertEqual(set.coverage(of: 5..<25), 10)
        XCTAssertEqual(set.gaps(in: 0..<100), [10..<20, 90..<100])
        XCTAssertEqual(set.gaps(in: 30..<40), [])
        XCTAssertEqual(set.segments(overlapping: 5..<25).map(\.range), [5..<10, 20..<25])
        set.insert(5..<95)
        XCTAssertEqual(ranges(set), [0..<95])
        set.removeAll()
        XCTAssertEqual(set.count, 0)
    }
}
