import Glibc
import PageCore

/// The run-time models started at boot: G1's heap and metaspace carry on from the memory the
/// boot commits, so a booted JVM can allocate, collect, load and unload classes.
extension JVM: MetaspaceNodeProvider {
    /// `G1CollectedHeap::initialize`'s last steps on the reserved heap and side tables:
    /// `expand(InitialHeapSize)`, then the CDS archive's heap objects at the top.
    func startG1Heap(_ heap: HeapReservation, sideTables: [G1SideTable]) throws -> G1Heap {
        let pages = configuration.pages
        let g1 = G1Heap(jdk: configuration.jdk, heap: heap.region, regionSize: configuration.regionSize, sideTables: sideTables,
                        pretouchThreads: configuration.alwaysPreTouch ? configuration.parallelGCThreads : nil,
                        transparentHugePages: pages.kind == .transparent,
                        numaNodes: configuration.useNUMA ? configuration.machine.numaNodes : 1,
                        heapOffset: heap.offset, heapPageSize: pages.heapPageSize)
        g1.minHeapSize = configuration.minHeapSize
        do {
            try g1.expand(by: configuration.initialHeapSize)
        } catch {
            // glibc's strerror text for ENOMEM differs from the one HotSpot prints (os::strerror).
            guard error.kind == .system(errno: ENOMEM) else { throw error }
            throw JVMError("Not enough space", stage: .commitFailed(address: heap.base, bytes: configuration.initialHeapSize, errno: ENOMEM))
        }
        if let archive = g1ArchivedHeap {
            do {
                try g1.mapArchiveRegions(closedBytes: archive.closed, openBytes: archive.open)
            } catch {
                throw error.underlying
            }
        }
        return g1
    }

    /// The archived heap objects the default CDS archive maps into a G1 heap. 17 maps a closed
    /// and an open archive region, only with compressed oops (observed on 17.0.15: one region
    /// each at every region size; the byte sizes here are assumed, only the count is observed);
    /// 21 and 25 map one block of about 1.5 MiB (observed on 25.0.3; 21 has the single block
    /// since JDK-8298048 but was not run, and maps only with compressed oops like 17).
    var g1ArchivedHeap: (closed: Int, open: Int)? {
        guard configuration.useSharedSpaces, configuration.jdk == .v25 || configuration.useCompressedOops else { return nil }
        return configuration.jdk == .v17 ? (closed: 384 << 10, open: 768 << 10) : (closed: 0, open: 3 << 19)
    }

    /// Metaspace on the class space the boot reserved, with the boot class loader's metadata
    /// (`bootMetadata`) loaded: its first allocations reserve the first non-class node and commit
    /// what the JVM has committed when `java -version` ends.
    func startMetaspace(classSpace: (region: Region, offset: Int)?) throws -> Metaspace {
        var settings = configuration.metaspace
        // The class space the boot reserved, aligned to the root chunk.
        settings.classSpaceSize = configuration.compressedClassSpaceSize
        settings.hasClassSpace = classSpace != nil
        let runtime = Metaspace(space: space, settings: settings, classSpace: classSpace?.region, jdk: configuration.jdk,
                                classSpaceOffset: classSpace?.offset ?? 0, nodeProvider: self)
        let boot = runtime.createLoader(name: "boot", kind: .boot)
        // The boot loader's class-space chunks are 256K; more than that takes a second allocation.
        let chunk = 256 << 10
        let metadata = bootMetadata
        do {
            try runtime.loadClasses(loader: boot, count: 1, nonClassBytes: metadata.nonClass, classBytes: min(metadata.classSpace, chunk))
            if metadata.classSpace > chunk {
                try runtime.loadClasses(loader: boot, count: 1, nonClassBytes: 0, classBytes: metadata.classSpace - chunk)
            }
        } catch {
            throw error.underlying
        }
        return runtime
    }

    public func reserveMetaspaceNode(size: Int, alignment: Int) throws(PageError) -> Region {
        try reserve("Metaspace node", .metaspace, size: size, align: alignment)
    }

    public func releaseMetaspaceNode(_ region: Region) {
        forget(region)
    }
}
