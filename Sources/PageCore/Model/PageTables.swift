/// A page-table entry of a base page: `none`, the shared zero page, or a private page on the node
/// at position `value - 1` of the topology.
typealias PTE = UInt16

extension PTE {
    static let none: PTE = 0
    static let zeroPage: PTE = .max

    static func resident(_ node: Int) -> PTE { PTE(node + 1) }

    /// The node position of a private page; nil for none and the zero page.
    var node: Int? { self == .none || self == .zeroPage ? nil : Int(self) - 1 }
}

/// One PTE table's 512 entries, when they differ.
final class PTEPage {
    var entries: [PTE]

    init(repeating entry: PTE) {
        entries = [PTE](repeating: entry, count: PageTables.entries)
    }
}

/// What a huge entry maps.
enum HugeKind: UInt8 {
    case thp, hugeZero, hugetlb
}

/// A PMD- or PUD-level leaf: a huge page (on a node, except the huge zero page).
struct HugeLeaf: Equatable {
    var kind: HugeKind
    var node: Int
}

/// A PMD entry: nothing, a PTE table (all 512 entries equal, or a page of them), or a huge leaf.
enum PMDEntry {
    case none
    case ptes(PTE)
    case table(PTEPage)
    case huge(HugeLeaf)

    /// Whether a PTE table hangs here (VmPTE counts it).
    var hasPTETable: Bool {
        switch self {
        case .ptes, .table: true
        case .none, .huge: false
        }
    }

    /// Equal entries without a page of their own (a page compares by identity).
    func isSame(as other: PMDEntry) -> Bool {
        switch (self, other) {
        case (.none, .none): true
        case (.ptes(let a), .ptes(let b)): a == b
        case (.table(let a), .table(let b)): a === b
        case (.huge(let a), .huge(let b)): a == b
        default: false
        }
    }
}

/// One PMD table's 512 entries.
final class PMDTable {
    var entries: [PMDEntry]

    init(repeating entry: PMDEntry) {
        entries = [PMDEntry](repeating: entry, count: PageTables.entries)
    }
}

/// A PUD entry: a PMD table (all 512 entries equal, or a table of them) or a 1 GiB hugetlb leaf.
/// A uniform entry never holds a PTE page (512 slots cannot share one).
enum PUDEntry {
    case uniform(PMDEntry)
    case table(PMDTable)
    case huge(HugeLeaf)
}

/// The simulated x86-64 page tables of one address space. Ranges whose entries are all equal
/// are kept as one entry for the whole table (a PTE table of 512 equal entries, a PMD table of 512
/// equal PMD entries), so a contiguous touch costs one entry per GiB, not one per page, while a
/// scattered one costs a PTE page (1 KiB) per 2 MiB it touches. The counts of page-table pages
/// are still those the kernel would allocate.
struct PageTables {
    static let entries = 512
    static let pageShift = 12, pmdShift = 21, pudShift = 30
    static let pmdSize: UInt = 1 << 21, pudSize: UInt = 1 << 30

    /// PUD entries by address >> 30; a key is absent where no PMD table exists.
    var puds: [Int: PUDEntry] = [:]

    static func pudKey(_ address: UInt) -> Int { Int(address >> UInt(pudShift)) }
    static func pmdIndex(_ address: UInt) -> Int { Int(address >> UInt(pmdShift)) & (entries - 1) }
    static func pteIndex(_ address: UInt) -> Int { Int(address >> UInt(pageShift)) & (entries - 1) }

    /// The PMD table of the GiB at `key`, created (or expanded from a uniform entry) if needed;
    /// nil under a 1 GiB leaf.
    mutating func pmdTable(_ key: Int) -> PMDTable? {
        switch puds[key] {
        case .table(let table)?:
            return table
        case .uniform(let entry)?:
            let table = PMDTable(repeating: entry)
            puds[key] = .table(table)
            return table
        case nil:
            let table = PMDTable(repeating: .none)
            puds[key] = .table(table)
            return table
        case .huge?:
            return nil
        }
    }

    /// The PMD entry covering `address` (`.none` where there is no table or under a 1 GiB leaf).
    func pmdEntry(_ address: UInt) -> PMDEntry {
        switch puds[Self.pudKey(address)] {
        case .table(let table)?: table.entries[Self.pmdIndex(address)]
        case .uniform(let entry)?: entry
        case nil, .huge?: .none
        }
    }

    /// The PTE page of the PMD slot `index` of `table`, expanded from a uniform table, created
    /// empty where there was none; nil under a huge leaf.
    static func ptePage(_ table: PMDTable, _ index: Int) -> PTEPage? {
        switch table.entries[index] {
        case .table(let page):
            return page
        case .ptes(let entry):
            let page = PTEPage(repeating: entry)
            table.entries[index] = .table(page)
            return page
        case .none:
            let page = PTEPage(repeating: .none)
            table.entries[index] = .table(page)
            return page
        case .huge:
            return nil
        }
    }

    /// Calls `body` with each GiB key overlapping `range` and the part of `range` inside it.
    static func forEachGiB(_ range: Range<UInt>, _ body: (Int, Range<UInt>) throws(PageError) -> Void) throws(PageError) {
        var lower = range.lowerBound
        while lower < range.upperBound {
            let upper = min(range.upperBound, (lower / pudSize + 1) * pudSize)
            try body(pudKey(lower), lower..<upper)
            lower = upper
        }
    }

    /// Calls `body` with each 2 MiB block index (in its PMD table) overlapping `range`, which must
    /// lie in one GiB, and the part of `range` inside it.
    static func forEachBlock(_ range: Range<UInt>, _ body: (Int, Range<UInt>) throws(PageError) -> Void) throws(PageError) {
        var lower = range.lowerBound
        while lower < range.upperBound {
            let upper = min(range.upperBound, (lower / pmdSize + 1) * pmdSize)
            try body(pmdIndex(lower), lower..<upper)
            lower = upper
        }
    }
}
