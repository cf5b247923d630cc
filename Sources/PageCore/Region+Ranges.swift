extension Region {
    /// The committed ranges that overlap `offset..<offset+length` (the whole region by default),
    /// clipped to it, with their protection, in address order: what NMT's detail view and
    /// `pmap` list, from the bookkeeping (no system call).
    public func committedRanges(offset: Int = 0, length: Int? = nil) -> [(range: Range<Int>, protection: Protection)] {
        let span = offset..<(offset + (length ?? size - offset))
        return protections.segments(overlapping: span).map { segment in
            (segment.range.clamped(to: span), segment.value)
        }
    }
}
