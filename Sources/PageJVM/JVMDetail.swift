import PageCore

extension JVM {
    /// NMT's "Virtual memory map" (`-XX:NativeMemoryTracking=detail`) with what NMT cannot
    /// show: for every reservation its committed ranges and, for each, the resident bytes; for
    /// ZGC the memfd each view maps and what the memfd holds.
    public func detail() throws(PageError) -> String {
        let kb = { (bytes: Int) in "\(bytes / 1024)KB" }
        var lines = ["Virtual memory map:", ""]
        for area in areas {
            let start = area.base, end = area.base + UInt(area.length)
            lines.append("[\(Self.pointer(start)) - \(Self.pointer(end))] reserved \(kb(area.length)) for \(area.category.rawValue): \(area.name)")
            for (range, protection) in area.region.committedRanges(offset: area.offset, length: area.length) {
                let stats = try area.region.stats(offset: range.lowerBound, length: range.count)
                let low = area.region.base + UInt(range.lowerBound), high = area.region.base + UInt(range.upperBound)
                var line = "\t[\(Self.pointer(low)) - \(Self.pointer(high))] committed \(kb(range.count)) \(protection.rawValue)"
                line += ", resident \(kb(stats.resident))"
                if stats.huge > 0 { line += " (huge \(kb(stats.huge)))" }
                if let view = area.region.view(at: range.lowerBound) {
                    line += ", maps memfd:\(view.memory.name) at \(Self.pointer(UInt(view.memoryOffset)))"
                    if !area.tracksCommits { line += " (NMT counts it at the first view)" }
                }
                lines.append(line)
            }
            lines.append("")
        }
        if let memory = heapMemory, !memory.isClosed {
            lines.append("memfd:\(memory.name): size \(kb(memory.size)), committed (fallocate) \(kb(memory.committedBytes)), "
                + "allocated \(kb(try memory.allocatedBytes()))")
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
