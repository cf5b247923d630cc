import Foundation
import PageCore
import PageJVM
import XCTest

/// ZGC's heap is one memfd mapped into three views in 17 (one in 25): booted with
/// AlwaysPreTouch, every view is resident, RSS counts the heap three times while NMT, the memfd
/// and PSS count it once — checked against a real JDK 17 run (Fixtures/zgc).
final class ZGCMultiMappingTests: XCTestCase {
    let flags = ["-XX:+UseZGC", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"]

    /// The `Key: value kB` figures of the recorded run, in bytes.
    func recorded() throws -> [String: Int] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/zgc/jdk17-pretouch-1g.txt")
        var figures: [String: Int] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == ":" || $0.isWhitespace })
            if words.count == 3, words[2] == "kB", let value = Int(words[1]) { figures[String(words[0])] = value * 1024 }
        }
        let nmt = try XCTUnwrap(try String(contentsOf: url, encoding: .utf8).split(separator: "\n").first { $0.contains("(mmap: reserved=") })
        let numbers = nmt.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        figures["nmt reserved"] = numbers[0] * 1024
        figures["nmt committed"] = numbers[1] * 1024
        return figures
    }

    func testHostPretouchMakesEveryViewResidentAndNMTCountsOnce() throws {
        let real = try recorded()
        let space = AddressSpace()
        defer { space.releaseAll() }
        let before = space.processStats(proportional: true)
        let jvm = try JVM.boot(flags, jdk: .v17, space: space)
        let after = space.processStats(proportional: true)

        let views = jvm.areas.filter { $0.category == .javaHeap }
        XCTAssertEqual(views.map(\.base), [0x400_0000_0000, 0x800_0000_0000, 0x1000_0000_0000], "the views of the recorded maps")
        for view in views { XCTAssertEqual(try view.stats().resident, GiB, view.name) }
        let heap = try XCTUnwrap(try NMTSummary(jvm)[.javaHeap])
        XCTAssertEqual(heap.committed, real["nmt committed"])
        XCTAssertEqual(heap.reserved, real["nmt reserved"])
        XCTAssertEqual(heap.resident, 3 * GiB, "what NMT cannot tell: resident once per view")
        XCTAssertEqual(try jvm.heapMemory?.allocatedBytes(), GiB)
        XCTAssertEqual(after.rssShmem - before.rssShmem, real["RssShmem"])
        let pss = try XCTUnwrap(after.pss) - XCTUnwrap(before.pss)
        let realPss = try XCTUnwrap(real["Pss_Shmem"])
        XCTAssertEqual(Double(pss), Double(realPss), accuracy: Double(64 * MiB), "PSS counts the heap once")

        jvm.close()
        XCTAssertTrue(try XCTUnwrap(jvm.heapMemory).isReleased)
        XCTAssertEqual(space.processStats().rssShmem, before.rssShmem)
    }

    func testModelMatchesTheRecordedRun() throws {
        let real = try recorded()
        let machine = try SimulatedMachine(topology: try NUMATopology(count: 1, memory: [24 * GiB]), thpMode: "madvise",
                                           hugetlbPages: [:], pageTableLevels: 4)
        let space = AddressSpace(backend: .model(machine))
        let jvm = try JVM.boot(flags, jdk: .v17, machine: JVMMachine(ram: 24 * GiB, cpus: 2), space: space)
        let process = space.processStats(proportional: true)
        XCTAssertEqual(process.rssShmem, real["RssShmem"])
        XCTAssertEqual(process.pss.map { $0 - (process.rss - process.rssShmem) }, GiB, "the heap once in PSS")
        XCTAssertEqual(try NMTSummary(jvm)[.javaHeap]?.committed, real["nmt committed"])
        XCTAssertEqual(space.nodeUsage()?[0]?.used ?? 0, GiB + (process.rss - process.rssShmem), "the heap's memory exists once")
        jvm.close()
        XCTAssertEqual(space.nodeUsage()?[0]?.used, 0)
    }

    func testWithoutPretouchTheMemoryIsAllocatedButMappedNowhere() throws {
        let space = AddressSpace()
        defer { space.releaseAll() }
        let jvm = try JVM.boot(["-XX:+UseZGC", "-Xms256m", "-Xmx1g"], jdk: .v17, space: space)
        let memory = try XCTUnwrap(jvm.heapMemory)
        XCTAssertEqual(memory.size, GiB)
        XCTAssertEqual(try memory.allocatedBytes(), 256 * MiB, "fallocate of the initial capacity")
        for view in jvm.areas.filter({ $0.category == .javaHeap }) {
            let stats = try view.stats()
            XCTAssertEqual(stats.committed, 256 * MiB)
            XCTAssertEqual(stats.resident, 0)
        }
        XCTAssertEqual(try NMTSummary(jvm)[.javaHeap]?.committed, 256 * MiB)
    }

    func testGenerationalZGCMapsOneView() throws {
        let space = AddressSpace()
        defer { space.releaseAll() }
        let before = space.processStats()
        let jvm = try JVM.boot(["-XX:+UseZGC", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"], jdk: .v25, space: space)
        let views = jvm.areas.filter { $0.category == .javaHeap }
        XCTAssertEqual(views.map(\.base), [0x400_0000_0000])
        XCTAssertEqual(space.processStats().rssShmem - before.rssShmem, 256 * MiB)
        XCTAssertEqual(try NMTSummary(jvm)[.javaHeap]?.resident, 256 * MiB)
    }
}
