/// Pages of one state in a row as the model reports them: resident ones with their node, or
/// with the round of nodes they were interleaved over.
struct ModelRun {
    var addresses: Range<UInt>
    var state: PageState
    /// The node position of resident and huge pages, unless `cycle` gives each page's.
    var node: Int?
    var cycle: InterleaveCycle?

    /// Whether the pages are on a node (not the zero page).
    var isOnNode: Bool { node != nil || cycle != nil }

    /// The node position of the page at `address`, if it is on a node.
    func node(at address: UInt) -> Int? {
        cycle?.node(at: address) ?? node
    }

    /// Calls `body` with each node position the run's pages are on and how many base pages.
    func forEachNode(nodeCount: Int, _ body: (_ node: Int, _ pages: Int) -> Void) {
        if let node { body(node, addresses.count >> PageTables.pageShift) }
        guard let cycle else { return }
        for (node, pages) in cycle.pages(in: addresses, nodeCount: nodeCount).enumerated() where pages > 0 { body(node, pages) }
    }
}

extension PageTables {
    /// Calls `visit` with the runs of present pages in `range` (page-aligned), in address order,
    /// adjacent runs of equal state and node merged.
    func forEachRun(_ range: Range<UInt>, _ visit: (ModelRun) throws(PageError) -> Void) throws(PageError) {
        var pending: ModelRun?
        func emit(_ addresses: Range<UInt>, _ state: PageState, _ node: Int?, cycle: InterleaveCycle? = nil) throws(PageError) {
            if let run = pending, run.addresses.upperBound == addresses.lowerBound, run.state == state, run.node == node,
               run.cycle == cycle {
                pending?.addresses = run.addresses.lowerBound..<addresses.upperBound
                return
            }
            if let run = pending { try visit(run) }
            pending = ModelRun(addresses: addresses, state: state, node: node, cycle: cycle)
        }
        func emit(_ addresses: Range<UInt>, _ entry: PTE) throws(PageError) {
            switch entry {
            case .none: return
            case .zeroPage: try emit(addresses, .zero, nil)
            default: try emit(addresses, .resident, entry.node)
            }
        }
        func emit(_ addresses: Range<UInt>, _ leaf: HugeLeaf) throws(PageError) {
            leaf.kind == .hugeZero ? try emit(addresses, .zero, nil) : try emit(addresses, .huge, leaf.node)
        }
        func emit(_ addresses: Range<UInt>, _ entry: PMDEntry) throws(PageError) {
            switch entry {
            case .none: return
            case .ptes(let pte): try emit(addresses, pte)
            case .interleaved(let number): try emit(addresses, .resident, nil, cycle: cycles[number])
            case .huge(let leaf): try emit(addresses, leaf)
            case .table(let page):
                var address = addresses.lowerBound
                while address < addresses.upperBound {
                    let pte = page.entries[Self.pteIndex(address)]
                    var end = address + UInt(1 << Self.pageShift)
                    while end < addresses.upperBound, page.entries[Self.pteIndex(end)] == pte { end += UInt(1 << Self.pageShift) }
                    try emit(address..<end, pte)
                    address = end
                }
            }
        }
        try Self.forEachGiB(range) { key, part throws(PageError) in
            switch puds[key] {
            case nil: return
            case .huge(let leaf)?: try emit(part, leaf)
            case .uniform(let entry)?: try emit(part, entry)
            case .table(let table)?:
                try Self.forEachBlock(part) { index, block throws(PageError) in try emit(block, table.entries[index]) }
            }
        }
        if let run = pending { try visit(run) }
    }

    /// The page-table pages mapping `range`: a PMD table per GiB that has one, a PTE table per
    /// 2 MiB that has one, a PUD table per 512 GiB and, with five levels, a P4D table per 256 TiB.
    func tablePages(_ range: Range<UInt>, levels: Int) -> PageTablePages {
        var pages = PageTablePages()
        var pudTables = Set<Int>(), p4dTables = Set<Int>()
        // forEachGiB's body cannot throw here.
        try? Self.forEachGiB(range) { key, part in
            guard let entry = puds[key] else { return }
            pudTables.insert(key >> 9)
            p4dTables.insert(key >> 18)
            switch entry {
            case .huge: return
            case .uniform(let pmd):
                pages.pmd += 1
                if pmd.hasPTETable { pages.pte += Self.blockCount(part) }
            case .table(let table):
                pages.pmd += 1
                try? Self.forEachBlock(part) { index, _ in
                    if table.entries[index].hasPTETable { pages.pte += 1 }
                }
            }
        }
        pages.pud = pudTables.count
        pages.p4d = levels == 5 ? p4dTables.count : 0
        return pages
    }

    /// Page-table pages of the whole address space, the PGD (one) included: what VmPTE counts.
    func allTablePages(levels: Int) -> Int {
        var pages = 1 + puds.tableKeys.count
        if levels == 5 { pages += Set(puds.tableKeys.map { $0 >> 9 }).count }
        puds.forEach { _, entry in
            switch entry {
            case .huge: break
            case .uniform(let pmd): pages += 1 + (pmd.hasPTETable ? Self.entries : 0)
            case .table(let table): pages += 1 + table.all.reduce(0) { $0 + ($1.hasPTETable ? 1 : 0) }
            }
        }
        return pages
    }

    /// The 2 MiB blocks `range` (inside one GiB) overlaps.
    static func blockCount(_ range: Range<UInt>) -> Int {
        Int((range.upperBound - 1) / pmdSize - range.lowerBound / pmdSize) + 1
    }
}
