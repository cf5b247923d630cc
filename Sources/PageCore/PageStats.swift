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
    /// Measured on the host, or simulated by the model.
    public var source: FigureSource
    /// The page-table pages that map the range, by level (the model only: the host's kernel does
    /// not tell them per range).
    public var pageTables: PageTablePages?

    public init(size: Int = 0, committed: Int = 0, resident: Int = 0, zero: Int = 0, huge: Int = 0,
                swapped: Int = 0, locked: Int = 0, nodes: [Int: Int] = [:], source: FigureSource = .measured,
                pageTables: PageTablePages? = nil) {
        self.size = size
        self.committed = committed
        self.resident = resident
        self.zero = zero
        self.huge = huge
        self.swapped = swapped
        self.locked = locked
        self.nodes = nodes
        self.source = source
        self.pageTables = pageTables
    }
}

/// Page-table pages by level: what the kernel allocates to map a range (VmPTE counts them all).
/// A table shared with a neighbouring range counts for each range it maps.
public struct PageTablePages: Sendable, Equatable {
    /// Level 5 (P4D) tables: only with 5-level paging; 0 otherwise.
    public var p4d = 0
    /// PUD tables (one per 512 GiB mapped), PMD tables (one per GiB), PTE tables (one per 2 MiB
    /// mapped with base pages).
    public var pud = 0, pmd = 0, pte = 0

    public init(p4d: Int = 0, pud: Int = 0, pmd: Int = 0, pte: Int = 0) {
        self.p4d = p4d
        self.pud = pud
        self.pmd = pmd
        self.pte = pte
    }

    /// All of them, in bytes (one 4 KiB page each).
    public var bytes: Int { (p4d + pud + pmd + pte) * 4096 }
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

/// Pages of one state in a row: page states run-length encoded, to compare and show them.
public struct PageStateRun: Sendable, Equatable, CustomStringConvertible {
    public let state: PageState
    public let count: Int

    public var description: String { "\(count)×\(state)" }
}

extension PageState {
    public static func runs(_ states: [PageState]) -> [PageStateRun] {
        var runs: [PageStateRun] = []
        var index = 0
        while index < states.count {
            var end = index
            while end < states.count, states[end] == states[index] { end += 1 }
            runs.append(PageStateRun(state: states[index], count: end - index))
            index = end
        }
        return runs
    }
}
