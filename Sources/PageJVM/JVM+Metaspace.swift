import PageCore

extension JVM {
    /// The mapped size of the default CDS archive (`CDS archive(s) mapped at: [...), size N`),
    /// observed on 17.0.15 and 25.0.3. No JDK 21 binary was available: 21 uses 17's figure.
    var cdsArchiveSize: Int { configuration.jdk == .v25 ? 14_241_792 : 12_349_440 }

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
            log("CDS archive(s) mapped at: [\(Self.pointer(region.base))-\(Self.pointer(region.base + UInt(cdsArchiveSize)))-\(Self.pointer(region.base + UInt(cdsArchiveSize)))), size \(cdsArchiveSize), SharedBaseAddress: \(Self.pointer(region.base)), ArchiveRelocationMode: 1.")
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
            log("Compressed class space mapped at: \(Self.pointer(base))-\(Self.pointer(base + UInt(classSpaceSize))), reserved size: \(classSpaceSize)")
            try classSpace.region.commit(offset: classSpace.offset, length: metaspace.commitGranule)
        }
        let node = try reserve("Metaspace node", .metaspace, size: metaspace.nodeSize, align: metaspace.rootChunkSize)
        try node.commit(offset: 0, length: metaspace.commitGranule)
    }
}
