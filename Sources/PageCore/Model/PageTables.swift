import CPageSys

/// A page-table entry of a base page: `none`, the shared zero page, or a page on the node at
/// position `value - 1` of the topology (without `sharedFlag`): a private page, or with the flag
/// a page of a shared memory file, which the file owns and frees.
typealias PTE = UInt16

extension PTE {
    static let none: PTE = 0
    static let zeroPage: PTE = .max
    static let sharedFlag: PTE = 0x8000

    static func resident(_ node: Int) -> PTE { PTE(node + 1) }
    static func shared(_ node: Int) -> PTE { PTE(node + 1) | sharedFlag }

    /// The node position of a present page, private or shared; nil for none and the zero page.
    var node: Int? { self == .none || self == .zeroPage ? nil : Int(self & ~Self.sharedFlag) - 1 }
    /// The node position of a private page: one that unmapping frees.
    var privateNode: Int? { self & Self.sharedFlag == 0 ? node : nil }
    /// Whether this maps a page of a shared memory file.
    var isShared: Bool { self != .zeroPage && self & Self.sharedFlag != 0 }
}

/// A page table's 512 entries in raw storage: page tables are plain values without reference
/// counts, because the fault path reads them for every simulated page, and whoever drops a table
/// frees it.
struct TableStorage<Entry> {
    let entries: UnsafeMutablePointer<Entry>

    init(repeating entry: Entry) {
        entries = .allocate(capacity: PageTables.entries)
        entries.initialize(repeating: entry, count: PageTables.entries)
    }

    var all: UnsafeMutableBufferPointer<Entry> { UnsafeMutableBufferPointer(start: entries, count: PageTables.entries) }

    /// Frees the storage (the entries are plain values or hold nothing to release).
    func deallocate() {
        entries.deinitialize(count: PageTables.entries)
        entries.deallocate()
    }
}

/// One PTE table's entries, when they differ.
typealias PTEPage = TableStorage<PTE>

extension TableStorage where Entry == PTE {
    func free() { deallocate() }
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

/// A PMD entry: nothing, a PTE table (all 512 entries equal, private pages interleaved over nodes
/// by the round numbered here in `PageTables.cycles`, or a page of entries), or a huge leaf.
enum PMDEntry {
    case none
    case ptes(PTE)
    case interleaved(Int)
    case table(PTEPage)
    case huge(HugeLeaf)

    /// Whether a PTE table hangs here (VmPTE counts it).
    var hasPTETable: Bool {
        switch self {
        case .ptes, .interleaved, .table: true
        case .none, .huge: false
        }
    }
}

/// One PMD table's entries.
typealias PMDTable = TableStorage<PMDEntry>

extension TableStorage where Entry == PMDEntry {
    /// Frees the table and the PTE pages in it.
    func free() {
        for entry in all { if case .table(let page) = entry { page.free() } }
        deallocate()
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
final class PageTables {
    static let entries = 512
    static let pageShift = 12, pmdShift = 21, pudShift = 30
    static let pmdSize: UInt = 1 << 21, pudSize: UInt = 1 << 30

    /// PUD entries by address >> 30; nil where no PMD table exists.
    let puds = PUDDirectory()
    /// The interleave rounds `.interleaved` entries name.
    let cycles = InterleaveCycles()

    static func pudKey(_ address: UInt) -> Int { Int(address >> UInt(pudShift)) }
    static func pmdIndex(_ address: UInt) -> Int { Int(address >> UInt(pmdShift)) & (entries - 1) }
    static func pteIndex(_ address: UInt) -> Int { Int(address >> UInt(pageShift)) & (entries - 1) }

    /// The PMD table of the GiB at `key`, created (or expanded from a uniform entry) if needed;
    /// nil under a 1 GiB leaf.
    func pmdTable(_ key: Int) -> PMDTable? {
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

    /// Prefetches what a fault at `address` will read: with `deep`, its PTE (which needs the PMD
    /// entry, prefetched by an earlier shallow call), else its PMD entry.
    func prefetch(_ address: UInt, deep: Bool) {
        guard case .table(let table)? = puds[Self.pudKey(address)] else { return }
        let slot = table.entries + Self.pmdIndex(address)
        guard deep else { return cps_prefetch(slot) }
        if case .table(let page) = slot.pointee { cps_prefetch(page.entries + Self.pteIndex(address)) }
    }

    /// The PMD entry covering `address` (`.none` where there is no table or under a 1 GiB leaf).
    func pmdEntry(_ address: UInt) -> PMDEntry {
        switch puds[Self.pudKey(address)] {
        case .table(let table)?: table.entries[Self.pmdIndex(address)]
        case .uniform(let entry)?: entry
        case nil, .huge?: .none
        }
    }

    /// The PTE page of the PMD slot `index` of `table`, which maps the 2 MiB at `block`: expanded
    /// from a uniform or interleaved table, created empty where there was none; nil under a huge leaf.
    func ptePage(_ table: PMDTable, _ index: Int, at block: UInt) -> PTEPage? {
        switch table.entries[index] {
        case .table(let page):
            return page
        case .ptes(let entry):
            let page = PTEPage(repeating: entry)
            table.entries[index] = .table(page)
            return page
        case .interleaved(let number):
            let cycle = cycles[number], start = block / Self.pmdSize * Self.pmdSize
            let page = PTEPage(repeating: .none)
            for slot in 0..<Self.entries { page.entries[slot] = .resident(cycle.node(at: start + UInt(slot << Self.pageShift))) }
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
        try forEachPiece(range, size: pudSize) { lower, piece throws(PageError) in try body(pudKey(lower), piece) }
    }

    /// Calls `body` with each 2 MiB block index (in its PMD table) overlapping `range`, which must
    /// lie in one GiB, and the part of `range` inside it.
    static func forEachBlock(_ range: Range<UInt>, _ body: (Int, Range<UInt>) throws(PageError) -> Void) throws(PageError) {
        try forEachPiece(range, size: pmdSize) { lower, piece throws(PageError) in try body(pmdIndex(lower), piece) }
    }

    /// `range` cut at multiples of `size`.
    private static func forEachPiece(_ range: Range<UInt>, size: UInt, _ body: (UInt, Range<UInt>) throws(PageError) -> Void) throws(PageError) {
        var lower = range.lowerBound
        while lower < range.upperBound {
            let upper = min(range.upperBound, (lower / size + 1) * size)
            try body(lower, lower..<upper)
            lower = upper
        }
    }
}

/// The PUD entries of an address space, by GiB (address >> 30): PUD tables of 512 entries, one per
/// 512 GiB as the kernel's, found through the PGD by a dictionary. The table last used is kept at
/// hand: consecutive lookups nearly always stay within one 512 GiB. Setting an entry to nil frees
/// nothing it held (the caller frees its PMD table first).
final class PUDDirectory {
    private var tables: [Int: TableStorage<PUDEntry?>] = [:]
    private var lastKey = -1
    private var last: TableStorage<PUDEntry?>?

    /// The PUD tables there are (VmPTE counts them), by address >> 39.
    var tableKeys: Dictionary<Int, TableStorage<PUDEntry?>>.Keys { tables.keys }

    deinit {
        forEach { _, entry in if case .table(let table) = entry { table.free() } }
        for table in tables.values { table.deallocate() }
    }

    subscript(key: Int) -> PUDEntry? {
        get {
            table(key >> 9)?.entries[key & (PageTables.entries - 1)]
        }
        set {
            let top = key >> 9
            let slot = key & (PageTables.entries - 1)
            if let table = self.table(top) {
                table.entries[slot] = newValue
                if newValue == nil, !table.all.contains(where: { $0 != nil }) {
                    tables[top] = nil
                    table.deallocate()
                    (lastKey, last) = (-1, nil)
                }
            } else if newValue != nil {
                let table = TableStorage<PUDEntry?>(repeating: nil)
                table.entries[slot] = newValue
                tables[top] = table
            }
        }
    }

    private func table(_ top: Int) -> TableStorage<PUDEntry?>? {
        if top == lastKey { return last }
        let table = tables[top]
        if table != nil { (lastKey, last) = (top, table) }
        return table
    }

    /// Calls `body` with every present entry and its key.
    func forEach(_ body: (Int, PUDEntry) -> Void) {
        for (top, table) in tables {
            for slot in 0..<PageTables.entries {
                if let entry = table.entries[slot] { body(top << 9 | slot, entry) }
            }
        }
    }
}
