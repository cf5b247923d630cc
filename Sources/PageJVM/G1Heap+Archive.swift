import PageCore

extension G1Heap {
    /// Maps CDS's archived heap objects into regions at the top of the heap, committing those
    /// regions wherever the committed part of the heap ends, and writes them. JDK 17
    /// (`G1CollectedHeap::alloc_archive_regions`): closed archive regions topmost, open archive
    /// regions right below, each filled from the top down as the dump allocated them. From 21
    /// the archive is one block in ordinary old regions (JDK-8298048), of both sizes together.
    /// Returns the regions.
    @discardableResult
    public func mapArchiveRegions(closedBytes: Int, openBytes: Int) throws(JVMRuntimeError) -> Range<Int> {
        for (name, bytes) in [("closed", closedBytes), ("open", openBytes)] where bytes < 0 {
            throw .invalidArgument(parameter: name, message: "\(name) archive size \(bytes) is negative")
        }
        let blocks: [(type: G1RegionType, bytes: Int)] = jdk == .v17
            ? [(.closedArchive, closedBytes), (.openArchive, openBytes)] : [(.old, closedBytes + openBytes)]
        let counts = blocks.map { ($0.bytes + regionSize - 1) / regionSize }
        let archive = regions.count - counts.reduce(0, +)..<regions.count
        guard archive.lowerBound >= 0 else {
            throw .invalidArgument(parameter: "size", message: "\(archive.count) archive regions do not fit in a heap of \(regions.count) regions")
        }
        if let taken = archive.first(where: { regions[$0].state == .active && regions[$0].type != .free }) {
            throw .invalidArgument(parameter: "size", message: "region \(taken) at the top of the heap is \(regions[taken].type.rawValue), not free")
        }
        try pageOperation { () throws(PageError) in try expandExactly(archive) }
        var top = archive.upperBound
        for (block, count) in zip(blocks, counts) {
            fill(top - count..<top, block.type, bytes: block.bytes)
            top -= count
        }
        for index in archive {
            try write(region: index, bytes: 0..<regions[index].used)
        }
        return archive
    }

    private func fill(_ indices: Range<Int>, _ type: G1RegionType, bytes: Int) {
        var remaining = bytes
        for index in indices.reversed() {
            regions[index].type = type
            regions[index].used = min(remaining, regionSize)
            remaining -= regions[index].used
        }
    }
}
