import PageCore

/// How one reservation (the heap or a side table) follows the heap's regions, as HotSpot's
/// `G1RegionToSpaceMapper` does. When a region's share of the reservation is at least a commit
/// page, the region owns whole pages (`G1RegionsLargerThanCommitSizeMapper`); otherwise one page
/// serves several regions, is committed with the first of them and uncommitted only when none
/// of them is committed any more (`G1RegionsSmallerThanCommitSizeMapper`). Both come down to
/// one rule, which this type applies: a page is committed exactly while one of its regions is.
struct G1RegionMapper {
    let name: String
    let region: Region
    /// Where the mapped space starts in `region` (the heap's no-access prefix), and its length.
    let offset: Int
    let length: Int
    /// Bytes of this reservation per heap region.
    let bytesPerRegion: Int
    /// The commit unit.
    let pageSize: Int
    /// Commits get MADV_HUGEPAGE: `os::realign_memory` on a commit whose page size is larger
    /// than the base page, under -XX:+UseTransparentHugePages.
    let advisesHugePages: Bool

    /// Pages (as byte offsets into the mapped space) that back `regions`.
    func pageSpan(of regions: Range<Int>) -> Range<Int> {
        let lower = regions.lowerBound * bytesPerRegion / pageSize * pageSize
        let upper = min(length, (regions.upperBound * bytesPerRegion + pageSize - 1) / pageSize * pageSize)
        return lower..<max(lower, upper)
    }

    /// The heap regions the page at `offset` serves.
    func regions(servedByPageAt offset: Int) -> Range<Int> {
        offset / bytesPerRegion..<(offset + pageSize + bytesPerRegion - 1) / bytesPerRegion
    }

    /// The pages behind `regions` that no region outside `regions` keeps committed, in
    /// contiguous byte ranges of `region`: what a commit of `regions` maps and an uncommit
    /// unmaps.
    func unsharedRuns(of regions: Range<Int>, isCommitted: (Int) -> Bool) -> [Range<Int>] {
        let span = pageSpan(of: regions)
        guard !span.isEmpty else { return [] }
        if bytesPerRegion % pageSize == 0 { return [offset + span.lowerBound..<offset + span.upperBound] }
        var runs: [Range<Int>] = []
        for offset in stride(from: span.lowerBound, to: span.upperBound, by: pageSize) {
            let shared = self.regions(servedByPageAt: offset).contains { !regions.contains($0) && isCommitted($0) }
            guard !shared else { continue }
            let page = self.offset + offset..<self.offset + min(offset + pageSize, span.upperBound)
            if let last = runs.last, last.upperBound == page.lowerBound {
                runs[runs.count - 1] = last.lowerBound..<page.upperBound
            } else {
                runs.append(page)
            }
        }
        return runs
    }
}
