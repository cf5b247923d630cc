import Glibc
import XCTest
@testable import PageCore

final class HostTests: PageCoreTestCase {
    func testHostInfo() {
        let info = HostInfo.current()
        XCTAssertEqual(info.pageSize, pageSize)
        XCTAssertTrue(["always", "madvise", "never", "unsupported"].contains(info.thpMode), info.thpMode)
        XCTAssertEqual(info.hugePageSizes, info.hugePageSizes.sorted())
        XCTAssertEqual(Set(info.hugePageSizes), Set(info.hugetlbPools.keys))
        if info.thpMode != "unsupported" { XCTAssertGreaterThan(info.thpPageSize, pageSize) }
        XCTAssertGreaterThan(info.memTotal, 0)
        XCTAssertGreaterThan(info.memAvailable, 0)
        XCTAssertFalse(info.numaNodes.isEmpty)
        XCTAssertFalse(info.kernel.isEmpty)
        XCTAssertGreaterThan(info.cpus, 0)
        XCTAssertEqual(info.capabilities.map(\.name), ["pagemap PFNs", "PAGEMAP_SCAN", "kpageflags", "membarrier", "userfaultfd", "hardware counters"])
        XCTAssertTrue(info.capabilities.allSatisfy { !$0.detail.isEmpty })
        if getuid() == 0 {
            XCTAssertTrue(info.pagemapPFNs.available, info.pagemapPFNs.detail)
            XCTAssertTrue(info.kpageflags.available, info.kpageflags.detail)
        }
    }

    func testKernelTextParsers() {
        XCTAssertEqual(KernelText.numberList("0-2,5,7-8\n"), [0, 1, 2, 5, 7, 8])
        XCTAssertNil(KernelText.numberList("3-1"))
        XCTAssertEqual(KernelText.selectedChoice("always [madvise] never\n"), "madvise")
        XCTAssertEqual(KernelText.fields("MemTotal:  100 kB\nVmRSS:\t  8 kB\nHugePages_Total:  3\nbad line\n"), ["MemTotal": 102_400, "VmRSS": 8192, "HugePages_Total": 3])
    }

    /// Both scanners agree page by page on a region with every kind of page, and the NUMA
    /// counter (used on multi-node hosts) finds all resident memory.
    func testScannersAndNodeCounterAgree() throws {
        let region = try committedRegion(24 * MiB)
        _ = try region.touch(offset: 0, length: 8 * MiB, options: TouchOptions(stride: 2 * pageSize))
        _ = try region.touch(offset: 8 * MiB, length: 8 * MiB, options: TouchOptions(write: false))
        _ = try region.uncommit(offset: 20 * MiB, length: 4 * MiB)
        let addresses = region.base..<region.base + UInt(region.size)
        func states(_ scanner: PageScanner) throws -> [PageState?] {
            var states = [PageState?](repeating: nil, count: region.size / pageSize)
            try scanner.scan(addresses) { run in
                for address in stride(from: run.addresses.lowerBound, to: run.addresses.upperBound, by: pageSize) {
                    states[Int(address - region.base) / pageSize] = run.state
                }
            }
            return states
        }
        let shared = try PageScanner.shared.get()
        let file = try PageScanner.pagemapFile()
        XCTAssertEqual(try states(shared), try states(file))
        XCTAssertEqual(try states(file).compactMap { $0 }.count, 4 * MiB / pageSize + 8 * MiB / pageSize)

        var counter = NodeCounter()
        var resident = 0
        try shared.scan(addresses) { run throws(PageError) in
            guard run.state == .resident else { return }
            resident += run.addresses.count
            try counter.add(run.addresses)
        }
        try counter.flush()
        XCTAssertEqual(counter.bytes.values.reduce(0, +), resident)
        XCTAssertEqual(Set(counter.bytes.keys).isSubset(of: Set(Host.numaNodes)), true)
    }
}
