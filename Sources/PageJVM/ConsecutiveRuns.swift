/// Maximal runs of consecutive indices in `bounds` for which `matches` holds, ascending: the
/// ranges HotSpot's region and granule bitmaps hand out (`next_committable_range` and kin).
func consecutiveRuns(in bounds: Range<Int>, where matches: (Int) -> Bool) -> [Range<Int>] {
    var runs: [Range<Int>] = []
    var index = bounds.lowerBound
    while index < bounds.upperBound {
        guard matches(index) else {
            index += 1
            continue
        }
        let start = index
        while index < bounds.upperBound && matches(index) { index += 1 }
        runs.append(start..<index)
    }
    return runs
}
