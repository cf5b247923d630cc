import Glibc
import XCTest
@testable import PageCore

/// One memory file mapped into three views, as ZGC 17's heap: the memory exists once (the file's
/// allocation, Shmem, the budget, PSS) while RSS counts it once per view that touched it.
final class SharedMemoryTests: XCTestCase {
    let size = 64 * MiB

    func modelSpace() throws -> AddressSpace {
        AddressSpace(backend: .model(try SimulatedMachine(topology: try NUMATopology(count: 1, memory: [16 * GiB]), thpMode: "always",
                                                          hugetlbPages: [:], pageTableLevels: 4)))
    }

    /// The memory and three views of all of it, each view in a reservation twice its size.
    func threeViews(_ space: AddressSpace) throws -> (SharedMemory, [Region]) {
        let memory = try space.sharedMemory(name: "java_heap", size: size)
        let views = try (0..<3).map { index in try space.reserve(size: 2 * size, options: ReserveOptions(name: "view\(index)")) }
        for view in views { try view.mapView(of: memory, memoryOffset: 0, offset: 0, length: size) }
        return (memory, views)
    }

    func testHostViewsShareOneAllocation() throws {
        let space = AddressSpace()
        defer { space.releaseAll() }
        let shmemBefore = try shmem()
        let (memory, views) = try threeViews(space)
        let hole = assertPageError(.invalidArgument(parameter: "offset")) { try views[0].touch(offset: 0, length: size) }
        XCTAssertEqual(hole?.message, "cannot touch region 'view0' range 0x0+0x4000000: 0x0+0x4000000 maps 0x0+0x4000000 of "
            + "shared memory 'java_heap', which is not committed (commit it first)")

        try memory.commit(offset: 0, length: size)
        XCTAssertEqual(try memory.allocatedBytes(), size, "fallocate allocates the file's pages")
        XCTAssertGreaterThanOrEqual(try shmem() - shmemBefore, size - 4 * MiB, "in the page cache, as Shmem")
        XCTAssertEqual(try views[0].stats().resident, 0, "mapped by no page table yet")

        // Charged once: a budget that holds the memory once, not three times, lets every view touch it.
        space.budget = CommitBudget(limit: space.chargedBytes + size + size / 2)
        let before = ProcessStats.current(proportional: true)
        for view in views { try view.touch(offset: 0, length: size) }
        let after = ProcessStats.current(proportional: true)
        for view in views {
            let stats = try view.stats()
            XCTAssertEqual(stats.resident, size)
            XCTAssertEqual(stats.committed, size)
            XCTAssertEqual(stats.huge, 0, "shmem takes no THP")
        }
        XCTAssertEqual(after.rssShmem - before.rssShmem, 3 * size, "RssShmem counts each view")
        XCTAssertGreaterThanOrEqual(after.rss - before.rss, 3 * size - 4 * MiB, "VmRSS counts each view")
        let pss = try XCTUnwrap(after.pss) - XCTUnwrap(before.pss)
        XCTAssertEqual(Double(pss), Double(size), accuracy: Double(8 * MiB), "PSS counts the memory once")
        XCTAssertEqual(try memory.allocatedBytes(), size, "touching the views allocated nothing more")

        // The views are one memory: a write through one is read through the others.
        let first = UnsafeMutablePointer<UInt64>(bitPattern: views[0].base + 4096)!
        first.pointee = 0x5a5a_1234
        XCTAssertEqual(UnsafePointer<UInt64>(bitPattern: views[2].base + 4096)!.pointee, 0x5a5a_1234)

        // Uncommit punches a hole: the pages leave every view and the file.
        try memory.uncommit(offset: size / 2, length: size / 2)
        XCTAssertEqual(try memory.allocatedBytes(), size / 2)
        for view in views { XCTAssertEqual(try view.stats().resident, size / 2) }
        XCTAssertEqual(ProcessStats.current().rssShmem - before.rssShmem, 3 * size / 2)

        // Closing the memory leaves the pages to the views that map them; the last view frees them.
        memory.close()
        assertPageError(.closed) { try memory.commit(offset: 0, length: size) }
        XCTAssertEqual(try views[1].stats().resident, size / 2)
        XCTAssertFalse(memory.isReleased)
        views[0].close()
        try views[1].uncommit(offset: 0, length: size)
        XCTAssertFalse(memory.isReleased, "view2 still maps it")
        XCTAssertEqual(space.chargedBytes, size / 2)
        views[2].close()
        XCTAssertTrue(memory.isReleased)
        XCTAssertEqual(space.chargedBytes, 0)
        XCTAssertTrue(space.sharedMemories.isEmpty)
        XCTAssertLessThan(try shmem() - shmemBefore, 8 * MiB, "the kernel freed the file")
    }

    func testModelViewsShareOneAllocation() throws {
        let space = try modelSpace()
        let (memory, views) = try threeViews(space)
        let used = { space.nodeUsage()![0]!.used }
        XCTAssertEqual(used(), 0)
        assertPageError(.invalidArgument(parameter: "offset")) { try views[1].touch(offset: 0, length: pageSize) }

        try memory.commit(offset: 0, length: size)
        XCTAssertEqual(try memory.allocatedBytes(), size)
        XCTAssertEqual(used(), size, "fallocate takes the pages from the node")
        XCTAssertEqual(space.chargedBytes, size)
        XCTAssertEqual(try views[0].stats().resident, 0)

        let touched = try views[0].touch(offset: 0, length: size)
        XCTAssertEqual(touched.minflt, size / pageSize)
        try views[1].touch(offset: 0, length: size, options: TouchOptions(write: false))
        try views[2].advise(offset: 0, length: size, .populateWrite)
        for view in views {
            let stats = try view.stats()
            XCTAssertEqual(stats.resident, size, "a read maps the file's page, not the zero page")
            XCTAssertEqual(stats.zero, 0)
            XCTAssertEqual(stats.huge, 0, "shmem takes no THP, even with THP always")
            XCTAssertEqual(stats.nodes, [0: size])
        }
        XCTAssertEqual(used(), size, "the views allocated nothing")
        let process = space.processStats(proportional: true)
        XCTAssertEqual(process.rss, 3 * size)
        XCTAssertEqual(process.rssShmem, 3 * size)
        XCTAssertEqual(process.pss, size)

        // Private memory beside a view in the same reservation still gets THP.
        try views[0].commit(offset: size, length: size)
        try views[0].touch(offset: size, length: size)
        XCTAssertEqual(try views[0].stats(offset: size, length: size).huge, size)
        XCTAssertEqual(used(), 2 * size)
        XCTAssertEqual(space.processStats(proportional: true).pss, 2 * size)

        // dontneed and an uncommit drop a view's entries, never the file's pages.
        try views[1].advise(offset: 0, length: size / 2, .dontneed)
        XCTAssertEqual(try views[1].stats().resident, size / 2)
        try views[2].uncommit(offset: 0, length: size)
        XCTAssertEqual(try views[2].stats().resident, 0)
        XCTAssertEqual(used(), 2 * size)
        assertPageError(.system(errno: EINVAL)) { try views[0].advise(offset: 0, length: size, .free) }

        try memory.uncommit(offset: 0, length: size / 2)
        XCTAssertEqual(try memory.allocatedBytes(), size / 2)
        XCTAssertEqual(try views[0].stats(offset: 0, length: size).resident, size / 2)
        XCTAssertEqual(try views[1].stats().resident, size / 2, "its first half was gone already (dontneed)")
        XCTAssertEqual(used(), size + size / 2)

        memory.close()
        XCTAssertEqual(used(), size + size / 2, "view0 still maps the file")
        space.releaseAll()
        XCTAssertEqual(used(), 0)
        XCTAssertTrue(memory.isReleased)
        XCTAssertEqual(space.chargedBytes, 0)
    }

    func testBadViews() throws {
        for space in [AddressSpace(), try modelSpace()] {
            defer { space.releaseAll() }
            let memory = try space.sharedMemory(name: "heap", size: 4 * MiB)
            let region = try space.reserve(size: 8 * MiB, options: ReserveOptions(name: "view"))
            try region.commit(offset: 0, length: 2 * MiB)
            let committed = assertPageError(.system(errno: EINVAL)) {
                try region.mapView(of: memory, memoryOffset: 0, offset: 0, length: 4 * MiB)
            }
            XCTAssertEqual(committed?.message, "cannot map a view of shared memory 'heap' over region 'view' range 0x0+0x400000: "
                + "0x0+0x200000 is committed (uncommit it first)")
            let outside = assertPageError(.invalidArgument(parameter: "length")) {
                try region.mapView(of: memory, memoryOffset: 2 * MiB, offset: 4 * MiB, length: 4 * MiB)
            }
            XCTAssertEqual(outside?.message, "range 0x200000+0x400000 is outside shared memory 'heap' (size 0x400000)")
            assertPageError(.invalidArgument(parameter: "size")) { try space.sharedMemory(name: "odd", size: 1000) }
            assertPageError(.invalidArgument(parameter: "offset")) { try memory.commit(offset: 100, length: pageSize) }
            memory.close()
            memory.close()
            XCTAssertTrue(memory.isReleased, "no view mapped it")
            assertPageError(.closed) { try region.mapView(of: memory, memoryOffset: 0, offset: 4 * MiB, length: 4 * MiB) }
        }
    }

    /// Shmem of /proc/meminfo, in bytes.
    func shmem() throws -> Int {
        try XCTUnwrap(KernelText.fields(readProcFile("/proc/meminfo"))["Shmem"])
    }
}
