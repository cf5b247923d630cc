import Glibc

/// Taking pages away and reshaping huge ones: zap (MADV_DONTNEED, munmap), PMD splits where a
/// VMA boundary falls inside a huge page, MADV_COLLAPSE, and migration between nodes.
extension ModelBackend {
    /// Drops the pages of `span`, freeing them on their nodes (hugetlb pages go back to the pool,
    /// still reserved for the region); a huge page only partly inside is split first. With
    /// `freeTables` (munmap, uncommit) the page tables wholly inside go too; without
    /// (MADV_DONTNEED) only PTE tables whose whole 2 MiB was dropped are freed, as Linux 6.14+
    /// reclaims empty PTE tables.
    func zap(_ region: Region, _ span: Range<Int>, freeTables: Bool) {
        let range = region.address(span.lowerBound)..<region.address(span.upperBound)
        try? PageTables.forEachGiB(range) { key, part in
            switch tables.puds[key] {
            case nil:
                return
            case .huge(let leaf)?:
                memory.releasePoolPage(Int(PageTables.pudSize), on: leaf.node)
                tables.puds[key] = nil
                return
            case .uniform(let entry)? where part.count == Int(PageTables.pudSize):
                for block in stride(from: part.lowerBound, to: part.upperBound, by: Int(PageTables.pmdSize)) { release(entry, at: block) }
                tables.puds[key] = freeTables ? nil : .uniform(.none)
                return
            default:
                guard let table = tables.pmdTable(key) else { return }
                try? PageTables.forEachBlock(part) { index, block in zapBlock(table, index, block) }
                if freeTables, part.count == Int(PageTables.pudSize) {
                    table.free()
                    tables.puds[key] = nil
                }
            }
        }
    }

    private func zapBlock(_ table: PMDTable, _ index: Int, _ block: Range<UInt>) {
        if block.count == Self.thpSize {
            drop(table.entries[index], at: block.lowerBound)
            table.entries[index] = .none
            return
        }
        switch table.entries[index] {
        case .none, .ptes(.none): return
        case .huge(let leaf): table.entries[index] = split(leaf)
        case .ptes, .interleaved, .table: break
        }
        guard let page = tables.ptePage(table, index, at: block.lowerBound) else { return }
        var address = block.lowerBound
        while address < block.upperBound {
            let slot = PageTables.pteIndex(address)
            if let node = page.entries[slot].privateNode { memory.release(1, on: node) }
            page.entries[slot] = .none
            address += UInt(Self.pageSize)
        }
    }

    /// Frees what the PMD entry of the 2 MiB at `block` maps, and its PTE page: for an entry about
    /// to be replaced.
    private func drop(_ entry: PMDEntry, at block: UInt) {
        release(entry, at: block)
        if case .table(let page) = entry { page.free() }
    }

    /// Frees what the PMD entry of the 2 MiB at `block` maps.
    private func release(_ entry: PMDEntry, at block: UInt) {
        switch entry {
        case .none: break
        case .ptes(let pte): if let node = pte.privateNode { memory.release(PageTables.entries, on: node) }
        case .interleaved(let number):
            let counts = tables.cycles[number].pages(in: block..<block + PageTables.pmdSize, nodeCount: nodeCount)
            for (node, pages) in counts.enumerated() where pages > 0 { memory.release(pages, on: node) }
        case .table(let page): for pte in page.all { if let node = pte.privateNode { memory.release(1, on: node) } }
        case .huge(let leaf):
            switch leaf.kind {
            case .thp: memory.release(PageTables.entries, on: leaf.node)
            case .hugetlb: memory.releasePoolPage(Self.thpSize, on: leaf.node)
            case .hugeZero: break
            }
        }
    }

    /// The PTE table a huge PMD becomes when split: its pages stay, mapped one by one.
    private func split(_ leaf: HugeLeaf) -> PMDEntry {
        .ptes(leaf.kind == .hugeZero ? .zeroPage : .resident(leaf.node))
    }

    /// Splits huge pages that a VMA boundary at either end of `span` would cut: where the end is
    /// not 2 MiB-aligned and `changes(offset)` says the page just inside gets new VMA flags.
    func splitEdges(_ region: Region, _ span: Range<Int>, changes: (Int) -> Bool) {
        for (edge, inside) in [(span.lowerBound, span.lowerBound), (span.upperBound, span.upperBound - Self.pageSize)] {
            let address = region.address(edge)
            guard edge > 0, edge < region.size, address % PageTables.pmdSize != 0, changes(inside),
                  case .huge(let leaf) = tables.pmdEntry(address), leaf.kind != .hugetlb,
                  let table = tables.pmdTable(PageTables.pudKey(address)) else { continue }
            table.entries[PageTables.pmdIndex(address)] = split(leaf)
        }
    }

    // MARK: MADV_COLLAPSE

    /// Collapses each 2 MiB-aligned block wholly inside `span` that has a PTE table (even one of
    /// zero pages) into a THP, on the node holding most of its pages, as MADV_COLLAPSE does
    /// whatever the THP mode; blocks without a PTE table are skipped and make the call fail with
    /// EINVAL at the end, a block across a VMA boundary or
    /// with MADV_NOHUGEPAGE fails it at once, and a node without 2 MiB free fails it with ENOMEM.
    func collapse(_ region: Region, _ span: Range<Int>) throws(PageError) {
        func failure(_ code: Int32, _ reason: String) -> PageError {
            PageError(.system(errno: code), "cannot advise collapse on region '\(region.name)' range \(region.describe(span)): "
                + "madvise: \(String(cString: strerror(code))) (\(reason))")
        }
        guard region.hugePageSize == nil else { throw failure(EINVAL, "hugetlb memory") }
        let first = (region.address(span.lowerBound) + PageTables.pmdSize - 1) / PageTables.pmdSize * PageTables.pmdSize
        let end = region.address(span.upperBound) / PageTables.pmdSize * PageTables.pmdSize
        var skipped: String?
        var block = first
        while block < end {
            defer { block += PageTables.pmdSize }
            let blockSpan = Int(block - region.base)..<Int(block - region.base) + Self.thpSize
            guard region.protections.uniformValue(over: blockSpan) != nil, region.hugePageAdvice.isUniform(over: blockSpan),
                  region.locked.isUniform(over: blockSpan), region.policies.isUniform(over: blockSpan) else {
                throw failure(EINVAL, "block \(region.describe(blockSpan)) crosses a VMA boundary")
            }
            guard region.hugePageAdvice.value(at: blockSpan.lowerBound) != .nohugepage else {
                throw failure(EINVAL, "block \(region.describe(blockSpan)) has MADV_NOHUGEPAGE")
            }
            let entry = tables.pmdEntry(block)
            var counts = [Int](repeating: 0, count: topology.nodes.count)
            switch entry {
            case .huge: continue
            case .none:
                skipped = skipped ?? "block \(region.describe(blockSpan)) was never touched"
                continue
            case .ptes(let pte): if let node = pte.node { counts[node] = PageTables.entries }
            case .interleaved(let number): counts = tables.cycles[number].pages(in: block..<block + PageTables.pmdSize, nodeCount: nodeCount)
            case .table(let page): for pte in page.all { if let node = pte.node { counts[node] += 1 } }
            }
            // Zero pages and empty entries are filled; with no private page at all, node 0 gets it.
            let most = counts.max() ?? 0
            let target = counts.firstIndex(of: most)!
            guard memory.free(target) >= PageTables.entries else {
                throw failure(ENOMEM, "node \(memory.id(at: target)) has no free huge page")
            }
            drop(entry, at: block)
            memory.take(PageTables.entries, on: target, intended: target, cpu: target, interleaved: false, advancesCursor: false)
            tables.pmdTable(PageTables.pudKey(block))?.entries[PageTables.pmdIndex(block)] = .huge(HugeLeaf(kind: .thp, node: target))
            clock.ns += FaultCost.collapse
        }
        if let skipped { throw failure(EINVAL, skipped) }
    }

    // MARK: Migration

    /// Moves each private page (or huge page) of `span` to the node `target(address, node, pages)`
    /// returns for it, if it is not there yet and the node has room; returns the base pages moved.
    /// Pages of shared memory stay: move_pages without MPOL_MF_MOVE_ALL leaves pages mapped more
    /// than once, as a view's are.
    func relocate(_ region: Region, _ span: Range<Int>, to target: (UInt, Int, Int) -> Int) -> Int {
        var moved = 0
        let range = region.address(span.lowerBound)..<region.address(span.upperBound)
        try? PageTables.forEachGiB(range) { key, part in
            if case .huge(let leaf)? = tables.puds[key] {
                let destination = target(UInt(key) << UInt(PageTables.pudShift), leaf.node, Int(PageTables.pudSize) / Self.pageSize)
                if destination != leaf.node, memory.movePoolPage(Int(PageTables.pudSize), from: leaf.node, to: destination) {
                    tables.puds[key] = .huge(HugeLeaf(kind: .hugetlb, node: destination))
                    moved += Int(PageTables.pudSize) / Self.pageSize
                }
                return
            }
            guard tables.puds[key] != nil, let table = tables.pmdTable(key) else { return }
            try? PageTables.forEachBlock(part) { index, block in
                let blockStart = block.lowerBound / PageTables.pmdSize * PageTables.pmdSize
                switch table.entries[index] {
                case .none, .ptes(.none), .ptes(.zeroPage): return
                case .huge(let leaf) where leaf.kind != .hugeZero:
                    let destination = target(blockStart, leaf.node, PageTables.entries)
                    guard destination != leaf.node else { return }
                    let done = leaf.kind == .hugetlb ? memory.movePoolPage(Self.thpSize, from: leaf.node, to: destination)
                        : memory.move(PageTables.entries, from: leaf.node, to: destination)
                    if done {
                        table.entries[index] = .huge(HugeLeaf(kind: leaf.kind, node: destination))
                        moved += PageTables.entries
                    }
                case .huge: return
                case .ptes, .interleaved, .table:
                    guard let page = tables.ptePage(table, index, at: blockStart) else { return }
                    var address = block.lowerBound
                    while address < block.upperBound {
                        let slot = PageTables.pteIndex(address)
                        if let node = page.entries[slot].privateNode {
                            let destination = target(address, node, 1)
                            if destination != node, memory.move(1, from: node, to: destination) {
                                page.entries[slot] = .resident(destination)
                                moved += 1
                            }
                        }
                        address += UInt(Self.pageSize)
                    }
                }
            }
        }
        return moved
    }
}
