import PageCore

extension JVM {
    /// The mapped size of the default CDS archive (`CDS archive(s) mapped at: [...), size N`):
    /// `classes.jsa`, or `classes_nocoops.jsa` without compressed oops. Observed on 17.0.15 and
    /// 25.0.3; no JDK 21 binary was available, so 21 uses 17's figures.
    var cdsArchiveSize: Int {
        if configuration.arguments.jdk == .v25, configuration.arguments.bool("UseCompactObjectHeaders") { return 15_011_840 }
        return switch (configuration.jdk, configuration.useCompressedOops) {
        case (.v25, true): 14_241_792
        case (.v25, false): 14_245_888
        case (_, true): 12_349_440
        case (_, false): 12_181_504
        }
    }

    /// What the boot class loader has committed in metaspace when `java -version` ends: the
    /// classes it loads come from the CDS archive when there is one (a granule in each space),
    /// else they are parsed into metaspace. Observed on 17.0.15 and 25.0.3.
    var bootMetadata: (nonClass: Int, classSpace: Int) {
        let K = 1 << 10
        guard configuration.useSharedSpaces else {
            let parsed = configuration.jdk == .v25 ? 3648 * K : 3200 * K
            return configuration.useCompressedClassPointers ? (parsed, 320 * K) : (parsed + 256 * K, 0)
        }
        let jdk17Other = configuration.jdk != .v25 && (configuration.collector != .g1 || !configuration.useCompressedOops)
        let twoGranules = jdk17Other || (configuration.jdk == .v25 && configuration.collector == .z)
        return (twoGranules ? 128 * K : 64 * K, 64 * K)
    }

    /// `Metaspace::global_initialize` (`docs/hotspot.md` §2.3): with CDS one reservation holds the
    /// archive and, from the next root-chunk boundary, the class space; without CDS the class
    /// space goes right after a heap that ends below 32 GiB, else anywhere. Then the boot class
    /// loader's first allocations reserve the first non-class node and commit a granule in each
    /// space.
    func bootMetaspace() throws {
        let metaspace = configuration.metaspace
        let classSpaceSize = configuration.compressedClassSpaceSize
        var classSpace: (region: Region, offset: Int)?
        if configuration.useSharedSpaces {
            let archiveSpace = JVMConfiguration.alignUp(cdsArchiveSize, metaspace.rootChunkSize)
            let region = try reserveRegion("CDS archive and class space", size: archiveSpace + classSpaceSize,
                                           align: metaspace.rootChunkSize)
            try region.commit(offset: 0, length: JVMConfiguration.alignUp(cdsArchiveSize, pageSize))
            record(JVMArea(name: "CDS archive", category: .sharedClassSpace, region: region, offset: 0, length: archiveSpace, pageSize: pageSize))
            log("CDS archive(s) mapped at: [\(Self.pointer(region.base))-\(Self.pointer(region.base + UInt(cdsArchiveSize)))-\(Self.pointer(region.base + UInt(cdsArchiveSize)))), size \(cdsArchiveSize), SharedBaseAddress: \(Self.pointer(region.base)), ArchiveRelocationMode: 1.", tags: "gc,metaspace")
            if classSpaceSize > 0 { classSpace = (region, archiveSpace) }
        } else if classSpaceSize > 0 {
            let heapEnd = heap.base + UInt(heap.size)
            let address = heap.base < (32 << 30) ? UInt(JVMConfiguration.alignUp(Int(heapEnd), metaspace.rootChunkSize)) : nil
            let fixed = address.flatMap { try? reserveRegion("Compressed class space", size: classSpaceSize, at: $0, align: metaspace.rootChunkSize) }
            let region = try fixed ?? reserveRegion("Compressed class space", size: classSpaceSize, align: metaspace.rootChunkSize)
            classSpace = (region, 0)
        }
        if let classSpace {
            let base = classSpace.region.base + UInt(classSpace.offset)
            record(JVMArea(name: "Compressed class space", category: .klass, region: classSpace.region, offset: classSpace.offset,
                           length: classSpaceSize, pageSize: pageSize))
            log("Compressed class space mapped at: \(Self.pointer(base))-\(Self.pointer(base + UInt(classSpaceSize))), reserved size: \(classSpaceSize)", tags: "gc,metaspace")
        }
        self.metaspace = try startMetaspace(classSpace: classSpace)
    }
}
