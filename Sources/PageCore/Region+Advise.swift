extension Region {
    /// `madvise(2)` over the range. Advice that faults pages in (populate_read, populate_write,
    /// collapse) needs committed memory, is charged to the commit budget and runs in pieces that
    /// Ctrl-C can stop; dontneed, free and pageout release the range's charges.
    @discardableResult
    public func advise(offset: Int, length: Int, _ advice: Advice) throws(PageError) -> OpResult {
        let span = try span(offset: offset, length: length)
        try requireHugePageAligned(span, "advise \(advice.rawValue) on")
        var footprint = RangeSet()
        if advice.populates {
            try requireCommitted(span, "advise \(advice.rawValue) on")
            try requireAllocatedViews(span, "advise \(advice.rawValue) on")
            footprint = try chargeBudget(advice.rawValue, span, collapsing: advice == .collapse)
        }
        defer { recordCharge(footprint) }
        let result = try perform("advise") { () throws(PageError) in
            if advice.populates {
                try forEachPiece(of: span) { piece throws(PageError) in try backend.advise(self, piece, advice) }
            } else {
                try backend.advise(self, span, advice)
            }
        }
        switch advice {
        case .hugepage: hugePageAdvice.assign(.hugepage, to: span)
        case .nohugepage: hugePageAdvice.assign(.nohugepage, to: span)
        case _ where advice.releases: charged.remove(span)
        default: break
        }
        return result
    }
}
