import Glibc
import PageCore

extension JVM {
    /// `Universe::initialize_heap`: the heap, the collector's side structures, and the initial
    /// commit (`docs/hotspot.md` §1).
    func bootHeap() throws {
        let heap = configuration.collector == .z ? try reserveZHeap() : try reserveHeap()
        self.heap = heap
        if heap.mode != .disabled { log(heap.coopsLine, tags: "gc,heap,coops", level: "debug") }
        let pages = configuration.pages
        let heapPage = pages.kind == .small ? pageSize : pages.largePageSize
        log("Heap:  min=\(Self.k(configuration.minHeapSize)) max=\(Self.k(heap.size)) base=\(Self.pointer(heap.base)) \(pageSizeField(size: heap.size, pageSize: heapPage))")
        switch configuration.collector {
        case .g1: try bootG1(heap)
        case .parallel, .serial: try bootGenerational(heap)
        case .z: try bootZ(heap)
        }
    }

    /// Reserves a GC side table as `G1CollectedHeap::create_aux_memory_mapper` and the card
    /// tables do: its own reservation, with large pages only if it is at least one large page.
    func reserveSideTable(_ name: String, size requested: Int) throws(PageError) -> Region {
        let page = sideTablePageSize(requested: requested)
        let size = JVMConfiguration.alignUp(requested, page)
        let region = try reserve(name, .gc, size: size, requested: requested, align: page)
        if configuration.jdk == .v25 {
            log("\(name): req_size=\(Self.k(requested)) req_page_size=\(Self.k(page)) base=\(Self.pointer(region.base)) size=\(Self.k(size)) page_size=\(Self.k(page))")
        } else {
            log("\(name): req_size=\(Self.k(requested)) base=\(Self.pointer(region.base)) page_size=\(Self.k(page)) alignment=\(Self.k(page)) size=\(Self.k(size))")
        }
        return region
    }

    /// `os::page_size_for_region_unaligned(size, 1)`: large pages only for a table of at least one.
    func sideTablePageSize(requested: Int) -> Int {
        let pages = configuration.pages
        return pages.kind != .small && requested >= pages.largePageSize ? pages.largePageSize : pageSize
    }

    /// Commits `length` bytes at `offset` of `region` as HotSpot's commit path does: mmap, then
    /// MADV_HUGEPAGE under -XX:+UseTransparentHugePages, then the pretouch of AlwaysPreTouch with
    /// the GC workers in 4 MiB chunks.
    func commitHeapMemory(_ region: Region, offset: Int, length: Int) throws {
        do {
            try region.commit(offset: offset, length: length)
        } catch where error.kind == .system(errno: ENOMEM) {
            // glibc's strerror text for ENOMEM differs from the one HotSpot prints (os::strerror).
            throw JVMError("Not enough space", stage: .commitFailed(address: region.base + UInt(offset), bytes: length, errno: ENOMEM))
        }
        if configuration.pages.kind == .transparent {
            try region.advise(offset: offset, length: length, .hugepage)
        }
        if configuration.alwaysPreTouch {
            let threads = min(configuration.parallelGCThreads, max(1, length / (4 << 20)))
            try region.touch(offset: offset, length: length, options: TouchOptions(threads: threads))
        }
    }
}
