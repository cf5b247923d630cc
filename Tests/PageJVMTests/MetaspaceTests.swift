import PageCore
@testable import PageJVM
import XCTest

/// Metaspace at run time (`docs/hotspot.md` §3).
final class MetaspaceTests: XCTestCase {
    private func makeMetaspace(_ space: AddressSpace, jdk: JDK = .v17, classSpaceSize: Int = 64 * MiB,
                               adjust: (inout MetaspaceSettings) -> Void = { _ in }) throws -> Metaspace {
        var settings = MetaspaceSettings.defaults(for: jdk)
        settings.classSpaceSize = classSpaceSize
        adjust(&settings)
        settings = settings.ergonomicallyAdjusted()
        let classSpace = try space.reserve(size: settings.classSpaceSize,
                                           options: ReserveOptions(name: "Compressed class space", align: settings.rootChunkSize))
        return Metaspace(space: space, settings: settings, classSpace: classSpace, jdk: jdk)
    }

    func testDefaultsPerRelease() {
        let jdk17 = MetaspaceSettings.defaults(for: .v17)
        XCTAssertEqual(jdk17.rootChunkSize, 16 * MiB)
        XCTAssertEqual(jdk17.levels, 15)
        XCTAssertEqual(jdk17.chunkSize(level: 14), KiB)
        XCTAssertEqual(jdk17.commitGranule, 64 * KiB)
        XCTAssertEqual(jdk17.virtualSpaceNodeSize, 64 * MiB)
        XCTAssertEqual(jdk17.reclaimPolicy, .balanced)
        XCTAssertEqual(jdk17.metaspaceSize, 22_020_096)
        XCTAssertNil(jdk17.maxMetaspaceSize)
        XCTAssertEqual(jdk17.minMetaspaceExpansion, 320 * KiB, "ScaleForWordSize(256K) = 332K, aligned down to 64K")
        XCTAssertEqual(jdk17.maxMetaspaceExpansion, 5312 * KiB)
        XCTAssertEqual(jdk17.classSpaceSize, GiB)
        XCTAssertEqual(MetaspaceSettings.defaults(for: .v21).reclaimPolicy, nil)
        var aggressive = jdk17
        aggressive.reclaimPolicy = .aggressive
        XCTAssertEqual(aggressive.ergonomicallyAdjusted().commitGranule, max(basePage, 16 * KiB))
        var limited = jdk17
        limited.maxMetaspaceSize = 16 * MiB
        let adjusted = limited.ergonomicallyAdjusted()
        XCTAssertEqual(adjusted.classSpaceSize, 16 * MiB, "80% of 16M is 12.8M, aligned up to the root chunk")
        XCTAssertEqual(adjusted.metaspaceSize, 16 * MiB, "MetaspaceSize is capped by MaxMetaspaceSize")
    }

    func testAFirstClassSplitsARootChunkAndCommitsOneGranulePerSpace() throws {
        let space = AddressSpace()
        let metaspace = try makeMetaspace(space)
        let loader = metaspace.createLoader(name: "app")
        try metaspace.loadClasses(loader: loader, count: 1, nonClassBytes: 1000, classBytes: 500)
        XCTAssertEqual(metaspace.loaderStatistics[0].chunkSizes, [4 * KiB, 2 * KiB], "the first chunks of a standard loader")
        let census = metaspace.census(classSpace: false)
        XCTAssertEqual(census[12].inUse, 1)
        XCTAssertEqual(census[1...12].map(\.free), Array(repeating: 1, count: 12), "one splinter per level, 8M down to 4K")
        XCTAssertEqual(census[0].free + census[0].inUse, 0)
        let stats = try metaspace.statistics()
        XCTAssertEqual(stats.nonClass.reserved, 64 * MiB)
        XCTAssertEqual(stats.nonClass.nodes, 1)
        XCTAssertEqual(stats.nonClass.committed, 64 * KiB)
        XCTAssertEqual(stats.nonClass.used, 1000)
        XCTAssertEqual(stats.nonClass.resident, basePage)
        XCTAssertEqual(stats.classSpace?.reserved, 64 * MiB)
        XCTAssertEqual(stats.classSpace?.committed, 64 * KiB)
        XCTAssertEqual(stats.classSpace?.used, 504, "rounded up to whole words")
        XCTAssertEqual(stats.classSpace?.resident, basePage)
        XCTAssertEqual(metaspace.mappings.map(\.category), ["Metaspace", "Class"])
        XCTAssertEqual(metaspace.mappings.map(\.region.name), ["Metaspace node 1", "Compressed class space"])
    }

    /// 3K per class: the 4K chunk doubles in place into its free buddy for the second class;
    /// for the third, doubling again would outrun the growth policy, so a new 4K chunk is split
    /// off the free 8K splinter and the 2K rest of the old chunk becomes a free block.
    func testArenaEnlargesInPlaceThenTakesANewChunk() throws {
        let space = AddressSpace()
        let metaspace = try makeMetaspace(space)
        let loader = metaspace.createLoader(name: "app")
        try metaspace.loadClasses(loader: loader, count: 2, nonClassBytes: 3 * KiB, classBytes: 0)
        XCTAssertEqual(metaspace.loaderStatistics[0].chunkSizes, [8 * KiB], "no class metadata: no class-space chunk")
        try metaspace.loadClasses(loader: loader, count: 1, nonClassBytes: 3 * KiB, classBytes: 0)
        XCTAssertEqual(metaspace.loaderStatistics[0].chunkSizes, [8 * KiB, 4 * KiB])
        XCTAssertEqual(metaspace.loaderStatistics[0].nonClassUsed, 8 * KiB + 3 * KiB, "the salvaged rest counts as used")
        let census = metaspace.census(classSpace: false)
        XCTAssertEqual(census[11].inUse, 1)
        XCTAssertEqual(census[12].inUse, 1)
        XCTAssertEqual(census[12].free, 1, "the other half of the split 8K splinter")
    }

    func testCommittedGrowsInGranulesAndResidentFollowsWhatIsWritten() throws {
        let space = AddressSpace()
        let metaspace = try makeMetaspace(space)
        let loader = metaspace.createLoader(name: "app")
        try metaspace.loadClasses(loader: loader, count: 400, nonClassBytes: 2 * KiB, classBytes: 600)
        let stats = try metaspace.statistics()
        XCTAssertEqual(stats.classes, 400)
        XCTAssertEqual(stats.nonClass.committed % (64 * KiB), 0)
        XCTAssertGreaterThanOrEqual(stats.nonClass.committed, stats.nonClass.used)
        XCTAssertGreaterThanOrEqual(stats.nonClass.used, 400 * 2 * KiB)
        XCTAssertLessThan(stats.nonClass.committed, stats.nonClass.used + 2 * 64 * KiB, "committed on demand, not whole chunks")
        XCTAssertGreaterThanOrEqual(stats.nonClass.resident, 400 * 2 * KiB)
        XCTAssertLessThanOrEqual(stats.nonClass.resident, stats.nonClass.committed)
        XCTAssertEqual(metaspace.committed, stats.nonClass.committed + stats.classSpace!.committed)
    }

    func testCrossingMetaspaceSizeTriggersACollectionAndRaisesTheMark() throws {
        let space = AddressSpace()
        let metaspace = try makeMetaspace(space)
        let loader = metaspace.createLoader(name: "app")
        XCTAssertEqual(metaspace.capacityUntilGC, 22_020_096)
        try metaspace.loadClasses(loader: loader, count: 1500, nonClassBytes: 16 * KiB, classBytes: 0)
        let first = try XCTUnwrap(metaspace.collections.first)
        XCTAssertEqual(first.kind, .concurrentStart)
        XCTAssertEqual(first.cause, "Metadata GC Threshold")
        XCTAssertEqual(first.capacityUntilGCBefore, 22_020_096)
        XCTAssertEqual(first.capacityUntilGCAfter, 22_347_776, "+ MinMetaspaceExpansion (320K)")
        XCTAssertTrue(metaspace.log.contains("Increase capacity to GC from 22020096 to 22347776"))
        XCTAssertGreaterThan(metaspace.capacityUntilGC, metaspace.committed - 1)
        XCTAssertTrue(metaspace.collections.allSatisfy { $0.kind == .concurrentStart }, "no full collection without a limit")
        XCTAssertGreaterThan(metaspace.committed, 20 * MiB)
    }

    func testReachingMaxMetaspaceSizeIsOutOfMemoryAndLeaksNothing() throws {
        let space = AddressSpace()
        let metaspace = try makeMetaspace(space) { $0.maxMetaspaceSize = 8 * MiB }
        XCTAssertEqual(metaspace.settings.metaspaceSize, 8 * MiB)
        let regionsBefore = space.regions.count
        let loader = metaspace.createLoader(name: "app")
        let error = assertRuntimeError({ try metaspace.loadClasses(loader: loader, count: 1000, nonClassBytes: 16 * KiB, classBytes: 512) }) {
            if case .outOfMemory(.metaspace, _) = $0 { return true }
            return false
        }
        XCTAssertTrue(error?.description.hasPrefix("OutOfMemoryError: Metaspace (MaxMetaspaceSize=8M: ") == true, "\(error!)")
        XCTAssertLessThanOrEqual(metaspace.committed, 8 * MiB)
        XCTAssertEqual(metaspace.collections.map(\.kind), [.concurrentStart, .full, .full])
        XCTAssertEqual(metaspace.collections.map(\.cause).last, "Metadata GC Clear Soft References")
        let loaded = try metaspace.statistics().classes
        XCTAssertGreaterThan(loaded, 400)
        XCTAssertLessThan(loaded, 1000)
        // Unloading the loader gives everything back: chunks merge to root chunks, which are
        // uncommitted, and JDK 17 unmaps the empty node.
        let unload = try metaspace.unload(loader: loader)
        XCTAssertEqual(unload.classes, loaded)
        XCTAssertEqual(metaspace.committed, 0)
        XCTAssertEqual(unload.nodesUnmapped, 1)
        XCTAssertEqual(space.regions.count, regionsBefore, "only the class space is left")
        let stats = try metaspace.statistics()
        XCTAssertEqual(stats.nonClass.reserved, 0)
        XCTAssertEqual(stats.classSpace?.committed, 0)
        XCTAssertEqual(stats.classSpace?.freeChunks, 16 * MiB, "the one root chunk carved, free again")
    }

    func testFillingTheClassSpaceIsOutOfCompressedClassSpace() throws {
        let space = AddressSpace()
        let metaspace = try makeMetaspace(space, classSpaceSize: 16 * MiB)
        let loader = metaspace.createLoader(name: "app")
        let error = assertRuntimeError({ try metaspace.loadClasses(loader: loader, count: 300, nonClassBytes: 1 * KiB, classBytes: 64 * KiB) }) {
            if case .outOfMemory(.compressedClassSpace, _) = $0 { return true }
            return false
        }
        XCTAssertTrue(error?.description.hasPrefix("OutOfMemoryError: Compressed class space (CompressedClassSpaceSize=16M: 16M committed; class 257 of 300") == true,
                      "\(error!)")
        XCTAssertEqual(try metaspace.statistics().classes, 256)
    }

    func testReclaimOnUnloadPerRelease() throws {
        for (jdk, policy, keepsNode) in [(JDK.v17, MetaspaceReclaimPolicy.balanced, false), (.v21, nil, true), (.v25, nil, true)] {
            let space = AddressSpace()
            let metaspace = try makeMetaspace(space, jdk: jdk) { $0.reclaimPolicy = policy }
            let first = metaspace.createLoader(name: "first")
            let second = metaspace.createLoader(name: "second")
            try metaspace.loadClasses(loader: first, count: 300, nonClassBytes: 20 * KiB, classBytes: 700)
            try metaspace.loadClasses(loader: second, count: 50, nonClassBytes: 20 * KiB, classBytes: 700)
            let committed = metaspace.committed
            let partial = try metaspace.unload(loader: first)
            XCTAssertLessThan(partial.committedAfter, committed - 5 * MiB, "JDK \(jdk): free chunks of a granule or more are uncommitted")
            XCTAssertEqual(partial.nodesUnmapped, 0, "JDK \(jdk): the node still holds the second loader")
            let all = try metaspace.unload(loader: second)
            XCTAssertEqual(all.committedAfter, 0, "JDK \(jdk)")
            XCTAssertEqual(all.reservedAfter, (keepsNode ? 64 * MiB : 0) + 64 * MiB,
                           "JDK \(jdk): reserved non-class metaspace \(keepsNode ? "never shrinks" : "is unmapped")")
            XCTAssertEqual(try metaspace.statistics().nonClass.nodes, keepsNode ? 1 : 0)
        }
    }

    func testReclaimPolicyNoneCommitsWholeChunksAndNeverUncommits() throws {
        let space = AddressSpace()
        let metaspace = try makeMetaspace(space) { $0.reclaimPolicy = MetaspaceReclaimPolicy.none }
        let boot = metaspace.createLoader(name: "boot", kind: .boot)
        let app = metaspace.createLoader(name: "app")
        try metaspace.loadClasses(loader: boot, count: 1, nonClassBytes: KiB, classBytes: KiB)
        XCTAssertEqual(try metaspace.statistics().nonClass.committed, 4 * MiB, "the boot loader's 4M chunk, committed whole")
        try metaspace.loadClasses(loader: app, count: 10, nonClassBytes: KiB, classBytes: KiB)
        let committed = metaspace.committed
        try metaspace.unload(loader: app)
        XCTAssertEqual(metaspace.committed, committed, "nothing is uncommitted")
    }

    func testAggressiveReclaimCommitsSixteenKiBGranules() throws {
        try XCTSkipUnless(basePage <= 16 * KiB, "the granule is at least a page")
        let space = AddressSpace()
        let metaspace = try makeMetaspace(space) { $0.reclaimPolicy = .aggressive }
        let loader = metaspace.createLoader(name: "app")
        try metaspace.loadClasses(loader: loader, count: 1, nonClassBytes: KiB, classBytes: KiB)
        XCTAssertEqual(metaspace.committed, 2 * 16 * KiB)
    }

    func testBadRequestsAreRefused() throws {
        let space = AddressSpace()
        let metaspace = try makeMetaspace(space)
        let loader = metaspace.createLoader(name: "app")
        let cases: [(Int, Int, Int, Int, JVMRuntimeError)] = [
            (99, 1, 8, 8, .invalidArgument(parameter: "loader", message: "no class loader 99")),
            (loader, 0, 8, 8, .invalidArgument(parameter: "count", message: "class count 0 is not positive")),
            (loader, 1, -8, 8, .invalidArgument(parameter: "nonclass", message: "nonclass metadata size -8 is negative")),
            (loader, 1, 8, 17 * MiB, .invalidArgument(parameter: "class", message: "class metadata of 17M is larger than a root chunk (16M)")),
            (loader, 1, 0, 0, .invalidArgument(parameter: "size", message: "a class needs some metadata (both sizes are 0)")),
        ]
        for (id, count, nonClass, klass, expected) in cases {
            assertRuntimeError({ try metaspace.loadClasses(loader: id, count: count, nonClassBytes: nonClass, classBytes: klass) }) { $0 == expected }
        }
        assertRuntimeError({ try metaspace.unload(loader: 99) }) { $0 == .invalidArgument(parameter: "loader", message: "no class loader 99") }
        XCTAssertEqual(metaspace.committed, 0)
        XCTAssertEqual(try metaspace.statistics().nonClass.nodes, 0, "no node is reserved before the first allocation")
    }
}
