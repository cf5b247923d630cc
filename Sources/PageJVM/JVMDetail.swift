import PageCore

extension JVM {
    /// NMT's "Virtual memory map" (`-XX:NativeMemoryTracking=detail`) with what NMT cannot
    /// show: for every reservation its committed ranges and, for each, the resident bytes.
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
                lines.append(line)
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
