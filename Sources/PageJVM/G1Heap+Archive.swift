import PageCore

extension G1Heap {
    /// JDK 17 only: maps CDS's archived heap objects into regions at the top of the heap
    /// (`G1CollectedHeap::alloc_archive_regions`): closed archive regions topmost, open archive
    /// regions right below, each filled from the top down as the dump allocated them. Those
    /// regions are committed wherever the committed part of the heap ends, and their contents
    /// are written. Returns the archive regions.
    @discardableResult
    public func mapArchiveRegions(closedBytes: Int, openBytes: Int) throws(JVMRuntimeError) -> Range<Int> {
        guard jdk == .v17 else {
            throw .invalidArgument(parameter: "jdk", message: "archive heap regions exist only in JDK 17 (JDK \(jdk) has none)")
        }
        for (name, bytes) in [("closed", closedBytes), ("open", openBytes)] where bytes < 0 {
            throw .invalidArgument(parameter: name, message: "\(name) archive size \(bytes) is negative")
        }
        let closedRegions = (closedBytes + regionSize - 1) / regionSize
        let openRegions = (openBytes + regionSize - 1) / regionSize
        let archive = regions.count - closedRegions - openRegions..<regions.count
        guard archive.lowerBound >= 0 else {
            throw .invalidArgument(parameter: "size", message: "\(closedRegions + openRegions) archive regions do not fit in a heap of \(regions.count) regions")
        }
        if let taken = archive.first(where: { regions[$0].state == .active && regions[$0].type != .free }) {
            throw .invalidArgument(parameter: "size", message: "region \(taken) at the top of the heap is \(regions[taken].type.rawValue), not free")
        }
        try pageOperation { () throws(PageError) in try expandExactly(archive) }
        fill(archive.upperBound - closedRegions..<archive.upperBound, .closedArchive, bytes: closedBytes)
        fill(archive.lowerBound..<archive.lowerBound + openRegions, .openArchive, bytes: openBytes)
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
