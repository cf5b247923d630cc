extension Region {
    /// Checks the commit budget before an operation that may fault in `span` (`collapsing`: into
    /// huge pages whatever the THP settings, as MADV_COLLAPSE does), and returns what to charge
    /// once it ran (`recordCharge`), whether it succeeded or not: pages may be resident either way.
    func chargeBudget(_ operation: String, _ span: Range<Int>, collapsing: Bool = false) throws(PageError) -> RangeSet {
        try chargeBudget(operation, spans: [span], collapsing: collapsing)
    }

    /// `chargeBudget` for several spans at once, in ascending order (scattered touches).
    func chargeBudget(_ operation: String, spans: [Range<Int>], collapsing: Bool = false) throws(PageError) -> RangeSet {
        // hugetlb pages come from a pool taken out of MemAvailable when it was filled.
        guard backend.enforcesBudget, hugePageSize == nil else { return RangeSet() }
        var footprint = RangeSet()
        for span in spans {
            for segment in unchargedFootprint(of: span, collapsing: collapsing).segments { footprint.insert(segment.range) }
        }
        let charge = footprint.count
        guard charge > 0, let space else { return footprint }
        try space.checkBudget(charge: charge, operation: "\(operation) of \(ByteSize.format(spans.reduce(0) { $0 + $1.count })) in region '\(name)'")
        return footprint
    }

    func recordCharge(_ footprint: RangeSet) {
        for segment in footprint.segments {
            charged.insert(segment.range)
        }
    }

    /// What an operation on `span` may make resident that is not charged yet: the committed part
    /// of `span`, widened to whole transparent huge pages where they can form (MADV_HUGEPAGE, or
    /// THP mode "always" without MADV_NOHUGEPAGE, or a collapse), since the kernel, or khugepaged
    /// later, fills a whole huge page for one touched byte. Views of shared memory are left out:
    /// their memory was charged when it was committed.
    func unchargedFootprint(of span: Range<Int>, collapsing: Bool) -> RangeSet {
        var reach = RangeSet(span)
        let hugePage = Host.thpPageSize
        if hugePage > pageSize {
            for part in (collapsing ? RangeSet(span) : hugePageEligible(span)).segments {
                let lower = Int(address(part.range.lowerBound) / UInt(hugePage) * UInt(hugePage)) - Int(base)
                let upper = Int((address(part.range.upperBound) + UInt(hugePage) - 1) / UInt(hugePage) * UInt(hugePage)) - Int(base)
                reach.insert(max(0, lower)..<min(size, upper))
            }
        }
        var footprint = RangeSet()
        for part in reach.segments {
            for committed in protections.segments(overlapping: part.range) {
                for gap in charged.gaps(in: committed.range) {
                    footprint.insert(gap)
                }
            }
        }
        for view in views.segments {
            footprint.remove(view.range)
        }
        return footprint
    }

    /// The parts of `span` where transparent huge pages can form by themselves.
    private func hugePageEligible(_ span: Range<Int>) -> RangeSet {
        var eligible = RangeSet()
        let advice = hugePageAdvice.segments(overlapping: span)
        if Host.thpMode == "always" {
            eligible = RangeSet(span)
            for segment in advice where segment.value == .nohugepage {
                eligible.remove(segment.range)
            }
        } else if Host.thpMode == "madvise" {
            for segment in advice where segment.value == .hugepage {
                eligible.insert(segment.range)
            }
        }
        return eligible
    }
}
