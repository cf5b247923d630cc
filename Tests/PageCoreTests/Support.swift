import Glibc
import XCTest
@testable import PageCore

let KiB = 1 << 10
let MiB = 1 << 20
let GiB = 1 << 30
let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

/// One line of /proc/self/maps.
struct Mapping: Hashable {
    var start: UInt
    var end: UInt
    var line: String
}

func readProcFile(_ path: String) -> String {
    (try? Kernel.readText(path)) ?? ""
}

/// /proc/self/maps lines overlapping [lower, upper).
func mappings(overlapping lower: UInt, _ upper: UInt) -> Set<Mapping> {
    var result = Set<Mapping>()
    for line in readProcFile("/proc/self/maps").split(separator: "\n") {
        let bounds = line.split(separator: " ")[0].split(separator: "-").map { UInt($0, radix: 16)! }
        if bounds[0] < upper && bounds[1] > lower { result.insert(Mapping(start: bounds[0], end: bounds[1], line: String(line))) }
    }
    return result
}

func mappings(of region: Region) -> Set<Mapping> {
    mappings(overlapping: region.base, region.base + UInt(region.size))
}

/// Anonymous PROT_NONE mappings (reservations) anywhere in the process, except the unused tails
/// of glibc malloc arenas, which end on a 64 MiB boundary and which other threads may create at
/// any time.
func reservations() -> Set<Mapping> {
    mappings(overlapping: 0, UInt.max).filter {
        $0.line.split(separator: " ").count == 5 && $0.line.contains(" ---p ") && $0.end % UInt(64 * MiB) != 0
    }
}

/// Sum of smaps `Rss` over the VMAs overlapping the region.
func smapsRss(of region: Region) -> Int {
    let lower = region.base, upper = region.base + UInt(region.size)
    var total = 0
    var inside = false
    for line in readProcFile("/proc/self/smaps").split(separator: "\n") {
        let words = line.split(separator: " ")
        if let range = words.first, range.contains("-"), !range.hasSuffix(":") {
            let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
            inside = bounds.count == 2 && bounds[0] < upper && bounds[1] > lower
        } else if inside, words.first == "Rss:" {
            total += Int(words[1])! * 1024
        }
    }
    return total
}

/// Asserts that `body` throws a PageError of `kind`, and returns it.
/// (Untyped `throws`: Swift 6.3's IRGen crashes on array literals of `throws(PageError)` closures.)
@discardableResult
func assertPageError<T>(_ kind: PageError.Kind, file: StaticString = #filePath, line: UInt = #line,
                        _ body: () throws -> T) -> PageError? {
    do {
        _ = try body()
        XCTFail("expected a \(kind) error", file: file, line: line)
        return nil
    } catch let error as PageError {
        XCTAssertEqual(error.kind, kind, error.message, file: file, line: line)
        return error
    } catch {
        XCTFail("expected a PageError, got \(error)", file: file, line: line)
        return nil
    }
}

/// Runs `child` in a forked process and returns how it ended (waitpid status).
func runForked(_ child: () -> Never) -> Int32 {
    let pid = fork()
    if pid == 0 { child() }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return status
}

func terminationSignal(_ status: Int32) -> Int32? {
    status & 0x7f != 0 && status & 0x7f != 0x7f ? status & 0x7f : nil
}

class PageCoreTestCase: XCTestCase {
    var space: AddressSpace!

    override func setUp() {
        super.setUp()
        space = AddressSpace(budget: CommitBudget(limit: 4 * GiB))
    }

    override func tearDown() {
        space.releaseAll()
        space = nil
        Interrupt.clear()
        super.tearDown()
    }

    /// A committed region, with THPs kept out of the way unless asked for.
    func committedRegion(_ size: Int, name: String = "heap", align: Int? = nil) throws -> Region {
        let region = try space.reserve(size: size, options: ReserveOptions(name: name, align: align))
        _ = try region.commit(offset: 0, length: size)
        _ = try region.advise(offset: 0, length: size, .nohugepage)
        return region
    }
}
