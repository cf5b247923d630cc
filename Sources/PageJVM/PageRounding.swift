import PageCore

/// `span` widened to whole base pages: what a store to each of its bytes touches.
func basePages(covering span: Range<Int>) -> Range<Int> {
    let page = HostInfo.pageSize
    return span.lowerBound / page * page..<(span.upperBound + page - 1) / page * page
}
