import PageCore
import PageJVM
import XCTest

let KiB = 1 << 10
let MiB = 1 << 20
let GiB = 1 << 30
let basePage = HostInfo.pageSize

/// A clock the test moves by hand.
final class ManualClock {
    var now = 0
    var clock: MillisecondClock { MillisecondClock { [unowned self] in self.now } }
}

/// A G1 heap with the side tables of `jdk` reserved as the boot reserves them: block offset
/// table and card table (heap / card size), card counts table (17), mark bitmap(s) (heap / 64).
func makeG1Heap(_ space: AddressSpace, jdk: JDK = .v17, heapSize: Int, regionSize: Int, cardSize: Int = 512,
                pretouchThreads: Int? = nil, transparentHugePages: Bool = false, numaNodes: Int = 1,
                clock: MillisecondClock = .monotonic()) throws -> G1Heap {
    let heap = try space.reserve(size: heapSize, options: ReserveOptions(name: "Java Heap", align: regionSize))
    func table(_ name: String, _ factor: Int) throws -> G1SideTable {
        let size = (heapSize / factor + basePage - 1) / basePage * basePage
        return G1SideTable(name: name, region: try space.reserve(size: size, options: ReserveOptions(name: name)), heapBytesPerByte: factor)
    }
    var tables = [try table("Block Offset Table", cardSize), try table("Card Table", cardSize)]
    if jdk.g1HasCardCounts { tables.append(try table("Card Counts Table", cardSize)) }
    for name in jdk.g1MarkBitmaps { tables.append(try table(name, 64)) }
    return G1Heap(jdk: jdk, heap: heap, regionSize: regionSize, sideTables: tables, pretouchThreads: pretouchThreads,
                  transparentHugePages: transparentHugePages, numaNodes: numaNodes, clock: clock)
}

extension G1Heap {
    func table(_ name: String) -> Region {
        sideTables.first { $0.name == name }!.region
    }

    func committed(of name: String) throws -> Int {
        try table(name).stats().committed
    }

    /// The region map's rows without their index labels, joined.
    var symbols: String {
        regionMap().split(separator: "\n").dropFirst().dropLast().map { $0.split(separator: " ").last! }.joined()
    }
}

/// Asserts that `body` throws a JVMRuntimeError matching `matches`, and returns it.
@discardableResult
func assertRuntimeError<T>(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T,
                           _ matches: (JVMRuntimeError) -> Bool) -> JVMRuntimeError? {
    do {
        _ = try body()
        XCTFail("expected an error", file: file, line: line)
    } catch let error as JVMRuntimeError {
        XCTAssertTrue(matches(error), "unexpected error: \(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("expected a JVMRuntimeError, got \(error)", file: file, line: line)
    }
    return nil
}
