/// Sorted, disjoint byte ranges (offsets in a region), each with a value; touching ranges with
/// equal values are merged. A region's bookkeeping: committed ranges and their protection, huge
/// page advice, locked ranges, ranges charged to the commit budget. Updates cost O(segments).
struct RangeMap<Value: Equatable> {
    struct Segment: Equatable {
        var range: Range<Int>
        var value: Value
    }

    private(set) var segments: [Segment] = []

    /// Bytes covered.
    var count: Int { segments.reduce(0) { $0 + $1.range.count } }

    /// Index of the first segment that ends after `offset`.
    func firstIndex(endingAfter offset: Int) -> Int {
        var low = 0, high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].range.upperBound <= offset { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The value at `offset`, or nil where no range covers it.
    func value(at offset: Int) -> Value? {
        let index = firstIndex(endingAfter: offset)
        guard index < segments.count, segments[index].range.contains(offset) else { return nil }
        return segments[index].value
    }

    /// The segments overlapping `range`, clipped to it, in order.
    func segments(overlapping range: Range<Int>) -> [Segment] {
        var result: [Segment] = []
        var index = firstIndex(endingAfter: range.lowerBound)
        while index < segments.count, segments[index].range.lowerBound < range.upperBound {
            result.append(Segment(range: segments[index].range.clamped(to: range), value: segments[index].value))
            index += 1
        }
        return result
    }

    /// Bytes of `range` covered.
    func coverage(of range: Range<Int>) -> Int {
        segments(overlapping: range).reduce(0) { $0 + $1.range.count }
    }

    /// The parts of `range` no segment covers, in order.
    func gaps(in range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var cursor = range.lowerBound
        for segment in segments(overlapping: range) {
            if segment.range.lowerBound > cursor { result.append(cursor..<segment.range.lowerBound) }
            cursor = segment.range.upperBound
        }
        if cursor < range.upperBound { result.append(cursor..<range.upperBound) }
        return result
    }

    /// Makes `range` map to `value`, replacing what was there.
    mutating func assign(_ value: Value, to range: Range<Int>) {
        guard !range.isEmpty else { return }
        remove(range)
        var merged = Segment(range: range, value: value)
        var index = firstIndex(endingAfter: range.lowerBound)
        if index > 0, segments[index - 1].range.upperBound == range.lowerBound, segments[index - 1].value == value {
            index -= 1
            merged.range = segments[index].range.lowerBound..<merged.range.upperBound
            segments.remove(at: index)
        }
        if index < segments.count, segments[index].range.lowerBound == range.upperBound, segments[index].value == value {
            merged.range = merged.range.lowerBound..<segments[index].range.upperBound
            segments.remove(at: index)
        }
        segments.insert(merged, at: index)
    }

    /// Makes `range` map to nothing.
    mutating func remove(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let first = firstIndex(endingAfter: range.lowerBound)
        var last = first
        while last < segments.count, segments[last].range.lowerBound < range.upperBound { last += 1 }
        guard first < last else { return }
        var kept: [Segment] = []
        let head = segments[first], tail = segments[last - 1]
        if head.range.lowerBound < range.lowerBound {
            kept.append(Segment(range: head.range.lowerBound..<range.lowerBound, value: head.value))
        }
        if tail.range.upperBound > range.upperBound {
            kept.append(Segment(range: range.upperBound..<tail.range.upperBound, value: tail.value))
        }
        segments.replaceSubrange(first..<last, with: kept)
    }

    /// Removes everything.
    mutating func removeAll() {
        segments.removeAll()
    }
}

/// The value of a `RangeSet`: a range is in the set or not.
struct Presence: Equatable {}

/// Sorted, disjoint byte ranges without values.
typealias RangeSet = RangeMap<Presence>

extension RangeMap where Value == Presence {
    init(_ range: Range<Int>) {
        insert(range)
    }

    mutating func insert(_ range: Range<Int>) {
        assign(Presence(), to: range)
    }
}

extension RangeMap {
    /// Whether no boundary falls inside `range`: one segment covers all of it, or none touches it.
    func isUniform(over range: Range<Int>) -> Bool {
        let index = firstIndex(endingAfter: range.lowerBound)
        guard index < segments.count, segments[index].range.lowerBound < range.upperBound else { return true }
        return segments[index].range.lowerBound <= range.lowerBound && segments[index].range.upperBound >= range.upperBound
    }

    /// The value covering all of `range`, or nil if `range` is not covered by one segment.
    func uniformValue(over range: Range<Int>) -> Value? {
        let index = firstIndex(endingAfter: range.lowerBound)
        guard index < segments.count, segments[index].range.lowerBound <= range.lowerBound,
              segments[index].range.upperBound >= range.upperBound else { return nil }
        return segments[index].value
    }
}
