/// Page statistics of a region or a range of it, in bytes.
public struct PageStats: Sendable, Equatable {
    /// Bytes in the range.
    public var size: Int
    /// Committed (accessible or protected, but not merely reserved).
    public var committed: Int
    /// Backed by private memory: RSS semantics, the shared zero page does not count.
    public var resident: Int
    /// Mapped to the shared zero page (or huge zero page) by a read of untouched memory.
    public var zero: Int
    /// Resident in a transparent huge page or a hugetlb page (a subset of `resident`).
    public var huge: Int
    /// Swapped out.
    public var swapped: Int
    /// Resident inside ranges locked with `Region.lock`.
    public var locked: Int
    /// Resident bytes per NUMA node number.
    public var nodes: [Int: Int]

    public init(size: Int = 0, committed: Int = 0, resident: Int = 0, zero: Int = 0, huge: Int = 0,
                swapped: Int = 0, locked: Int = 0, nodes: [Int: Int] = [:]) {
        self.size = size
        self.committed = committed
        self.resident = resident
        self.zero = zero
        self.huge = huge
        self.swapped = swapped
        self.locked = locked
        self.nodes = nodes
    }
}

/// The state of one base page.
public enum PageState: UInt8, Sendable {
    /// Reserved address space, not committed.
    case reserved
    /// Committed, never touched (or dropped since).
    case committed
    /// Mapped to the shared zero page by a read.
    case zero
    /// Resident in a base page.
    case resident
    /// Resident in a THP or hugetlb page.
    case huge
    /// Swapped out.
    case swapped
}
