import PageCore

/// One of G1's auxiliary data structures, each in its own reservation and committed region by
/// region with the heap (`G1CollectedHeap::create_aux_memory_mapper`). Names are those
/// `-Xlog:pagesize` prints: "Block Offset Table", "Card Table", "Card Counts Table" (17 only),
/// "Prev Bitmap" and "Next Bitmap" (17) or "Mark Bitmap" (21+).
public struct G1SideTable {
    public let name: String
    public let region: Region
    /// Heap bytes one byte of the table covers (`heap_map_factor`): the card size for the block
    /// offset, card and card counts tables (512 by default), 64 for a mark bitmap (one bit per
    /// 8-byte word).
    public let heapBytesPerByte: Int
    /// The page size the table is committed in, as `-Xlog:pagesize` reports it; nil for what
    /// HotSpot picks (`os::page_size_for_region_unaligned(size, 1)`): the transparent huge page
    /// size when THP is on and the table is at least that large, else the base page.
    public let pageSize: Int?

    public init(name: String, region: Region, heapBytesPerByte: Int, pageSize: Int? = nil) {
        self.name = name
        self.region = region
        self.heapBytesPerByte = heapBytesPerByte
        self.pageSize = pageSize
    }
}
