import PageCore

/// The mmap part of Native Memory Tracking's summary for a booted JVM: reserved and committed
/// bytes per category, as `-XX:NativeMemoryTracking=summary` reports them, plus what NMT cannot
/// tell: how much of the committed memory is resident — summed over every mapping, so ZGC's
/// multi-mapped heap, committed once, is resident once per view that touched it, as RSS counts.
public struct NMTSummary {
    public struct Entry {
        public let category: NMTCategory
        public let reserved: Int
        public let committed: Int
        /// nil unless asked for (it costs a page-table scan).
        public let resident: Int?
    }

    /// Categories with memory, in NMT's order.
    public let entries: [Entry]

    public init(_ jvm: JVM, resident: Bool = true) throws(PageError) {
        var entries: [Entry] = []
        for category in NMTCategory.allCases {
            let areas = jvm.areas.filter { $0.category == category }
            guard !areas.isEmpty else { continue }
            var reserved = 0, committed = 0, residentBytes = 0
            for area in areas {
                reserved += area.length
                if area.tracksCommits {
                    committed += area.region.committedRanges(offset: area.offset, length: area.length).reduce(0) { $0 + $1.range.count }
                }
                if resident { residentBytes += try area.stats().resident }
            }
            entries.append(Entry(category: category, reserved: reserved, committed: committed, resident: resident ? residentBytes : nil))
        }
        self.entries = entries
    }

    public var reserved: Int { entries.reduce(0) { $0 + $1.reserved } }
    public var committed: Int { entries.reduce(0) { $0 + $1.committed } }

    public subscript(category: NMTCategory) -> Entry? { entries.first { $0.category == category } }

    /// NMT's text with `jcmd VM.native_memory summary`'s default scale (KB). Thread stacks appear
    /// as NMT shows them, on a `stack:` line; a `resident=` figure follows each category's.
    public var text: String {
        let kb = { (bytes: Int) in "\(bytes / 1024)KB" }
        // Built line by line: `joined` on the static executable costs a scan of every protocol
        // conformance record the first time, more than the rest of the rendering.
        var text = "Native Memory Tracking (mmap part; PageLab adds resident):\n\n"
            + "Total: reserved=\(kb(reserved)), committed=\(kb(committed))\n"
            + "       mmap:   reserved=\(kb(reserved)), committed=\(kb(committed))\n\n"
        for entry in entries {
            let name = String(repeating: " ", count: max(0, 26 - entry.category.rawValue.count)) + entry.category.rawValue
            let pad = String(repeating: " ", count: 28)
            text += "-\(name) (reserved=\(kb(entry.reserved)), committed=\(kb(entry.committed)))\n"
            let kind = entry.category == .thread ? "stack" : "mmap"
            text += "\(pad)(\(kind): reserved=\(kb(entry.reserved)), committed=\(kb(entry.committed))) \n"
            if let resident = entry.resident {
                text += "\(pad)(resident=\(kb(resident))) \n"
            }
            text += " \n"
        }
        return text
    }
}
