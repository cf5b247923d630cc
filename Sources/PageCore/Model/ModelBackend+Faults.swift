import Glibc

/// Page faults: what the kernel's do_anonymous_page, do_huge_pmd_anonymous_page, the huge zero
/// page and hugetlb_fault do, on the simulated tables.
extension ModelBackend {
    /// Bytes a simulated touch worker claims at a time, as `cps_touch` and HotSpot's pretouch do.
    static let touchChunk = 4 << 20

    func touch(_ region: Region, _ span: Range<Int>, _ options: TouchOptions) throws(PageError) {
        let stride = options.stride ?? Self.pageSize
        let cost = FaultCost.baseWrite
        guard options.threads > 1 else {
            try access(region, span, stride: stride, write: options.write, cpu: cpu(worker: 0, options.node), cost: cost)
            return
        }
        // Workers claim chunks in turn; worker w runs on CPU w (or on the given node).
        let chunk = (Self.touchChunk + stride - 1) / stride * stride
        var spent = [UInt64](repeating: 0, count: options.threads)
        var start = span.lowerBound, index = 0
        while start < span.upperBound {
            if Interrupt.isPending { throw .interrupted }
            let worker = index % options.threads
            let before = clock.ns
            let end = span.upperBound - start > chunk ? start + chunk : span.upperBound
            try access(region, start..<end, stride: stride, write: options.write, cpu: cpu(worker: worker, options.node), cost: cost)
            spent[worker] += clock.ns - before
            clock.ns = before
            start = end
            index += 1
        }
        clock.ns += spent.max() ?? 0
    }

    /// How far ahead scattered touches prefetch page-table entries: their lookups miss the cache
    /// one after the other otherwise, which caps the rate near one miss latency per page.
    static let prefetchDistance = 8

    func touch(_ region: Region, pages: [Int], write: Bool) throws(PageError) {
        let cpu = mainCPU
        let ahead = Self.prefetchDistance
        for (index, page) in pages.enumerated() {
            if index & 0xffff == 0, Interrupt.isPending { throw .interrupted }
            if index + 2 * ahead < pages.count { tables.prefetch(region.address(pages[index + 2 * ahead] * Self.pageSize), deep: false) }
            if index + ahead < pages.count { tables.prefetch(region.address(pages[index + ahead] * Self.pageSize), deep: true) }
            let offset = page * Self.pageSize
            try requireAccess(region, offset, write: write)
            try faultPage(region, region.address(offset), write: write, cpu: cpu, cost: FaultCost.baseWrite)
        }
    }

    /// The node position of touch worker `worker`: on `node` if given, else on CPU `worker`.
    private func cpu(worker: Int, _ node: Int?) -> Int {
        memory.position(of: node ?? topology.node(ofCPU: worker))
    }

    /// One worker's accesses to `range`, one every `stride` bytes: pages in a row when the stride
    /// is at most a page, else one page per access. Stops with the fault error at the first access
    /// the protection forbids, after the accesses before it took effect.
    private func access(_ region: Region, _ range: Range<Int>, stride: Int, write: Bool, cpu: Int, cost: UInt64) throws(PageError) {
        let last = range.lowerBound + (range.count - 1) / stride * stride
        guard stride <= Self.pageSize else {
            var offset = range.lowerBound
            while offset <= last {
                try requireAccess(region, offset, write: write)
                try faultPage(region, region.address(offset / Self.pageSize * Self.pageSize), write: write, cpu: cpu, cost: cost)
                let (next, overflow) = offset.addingReportingOverflow(stride)
                if overflow { break }
                offset = next
            }
            return
        }
        let pages = range.lowerBound / Self.pageSize * Self.pageSize..<(last / Self.pageSize + 1) * Self.pageSize
        let allowed = accessiblePrefix(region, pages, write: write)
        if !allowed.isEmpty { try fault(region, allowed, write: write, cpu: cpu, cost: cost) }
        if allowed.upperBound < pages.upperBound {
            try requireAccess(region, max(range.lowerBound, allowed.upperBound), write: write)
        }
    }

    /// The leading part of `span` that `write` (or read) accesses may reach.
    private func accessiblePrefix(_ region: Region, _ span: Range<Int>, write: Bool) -> Range<Int> {
        var end = span.lowerBound
        for segment in region.protections.segments(overlapping: span) {
            guard segment.range.lowerBound == end, segment.value.allows(write: write) else { break }
            end = segment.range.upperBound
        }
        return span.lowerBound..<end
    }

    /// Throws the fault a real access at `offset` would take (SIGSEGV), if the protection there
    /// forbids it.
    func requireAccess(_ region: Region, _ offset: Int, write: Bool) throws(PageError) {
        guard region.protections.value(at: offset)?.allows(write: write) != true else { return }
        throw region.faultError(at: offset, signal: "SIGSEGV", address: region.address(offset))
    }

    /// MADV_POPULATE_READ/WRITE: faults without a trap, on the calling thread; EINVAL where the
    /// protection forbids the access, as the kernel reports it.
    func populate(_ region: Region, _ span: Range<Int>, write: Bool) throws(PageError) {
        let allowed = accessiblePrefix(region, span, write: write)
        if !allowed.isEmpty { try fault(region, allowed, write: write, cpu: mainCPU, cost: FaultCost.basePopulate) }
        if allowed.upperBound < span.upperBound {
            let protection = region.protections.value(at: allowed.upperBound)?.rawValue ?? "none"
            throw PageError(.system(errno: EINVAL), "cannot advise populate_\(write ? "write" : "read") on region '\(region.name)' "
                + "range \(region.describe(span)): madvise: \(String(cString: strerror(EINVAL))) (range protection: \(protection))")
        }
    }

    // MARK: Faulting a range

    /// Faults in every page of `span` (all accessible) as accesses by a thread on `cpu` would.
    func fault(_ region: Region, _ span: Range<Int>, write: Bool, cpu: Int, cost: UInt64) throws(PageError) {
        if !region.views.segments.isEmpty, try faultViews(region, span, write: write, cpu: cpu, cost: cost) { return }
        let range = region.address(span.lowerBound)..<region.address(span.upperBound)
        if let hugePageSize = region.hugePageSize {
            try faultHugetlb(region, range, pageSize: hugePageSize, cpu: cpu)
            return
        }
        try PageTables.forEachGiB(range) { key, part throws(PageError) in
            if Interrupt.isPending { throw .interrupted }
            if part.count == Int(PageTables.pudSize), try faultWholeGiB(region, key, write: write, cpu: cpu, cost: cost) { return }
            guard let table = tables.pmdTable(key) else { return }
            try PageTables.forEachBlock(part) { index, block throws(PageError) in
                try faultBlock(region, table, index, block, write: write, cpu: cpu, cost: cost)
            }
        }
    }

    /// Faults a single page (of a strided or scattered access).
    func faultPage(_ region: Region, _ address: UInt, write: Bool, cpu: Int, cost: UInt64) throws(PageError) {
        if !region.views.segments.isEmpty, let view = region.views.value(at: Int(address - region.base)) {
            let offset = Int(address - region.base)
            try faultView(region, offset..<offset + Self.pageSize, view, cpu: cpu, cost: cost)
            return
        }
        if let hugePageSize = region.hugePageSize {
            try faultHugetlb(region, address..<address + UInt(Self.pageSize), pageSize: hugePageSize, cpu: cpu)
            return
        }
        guard let table = tables.pmdTable(PageTables.pudKey(address)) else { return }
        try faultBlock(region, table, PageTables.pmdIndex(address), address..<address + UInt(Self.pageSize),
                       write: write, cpu: cpu, cost: cost)
    }

    /// A whole GiB in one step, when its PMD table is uniform and stays so: returns false when
    /// it must be done block by block instead.
    private func faultWholeGiB(_ region: Region, _ key: Int, write: Bool, cpu: Int, cost: UInt64) throws(PageError) -> Bool {
        let current: PMDEntry
        switch tables.puds[key] {
        case nil: current = .none
        case .uniform(let entry)?: current = entry
        case .huge?: return true
        case .table?: return false
        }
        let start = key << PageTables.pudShift
        let span = start - Int(region.base)..<start - Int(region.base) + Int(PageTables.pudSize)
        let blocks = PageTables.entries, pages = blocks * PageTables.entries
        let replacement: PMDEntry
        switch current {
        case .none where thpEligible(region, span, write: write):
            guard write else {
                replacement = .huge(HugeLeaf(kind: .hugeZero, node: 0))
                charge(faults: blocks, cost: FaultCost.zeroPage * UInt64(blocks))
                break
            }
            guard let node = uniformAllocation(region, span, pages: pages, granule: PageTables.entries, cpu: cpu) else { return false }
            replacement = .huge(HugeLeaf(kind: .thp, node: node))
            charge(faults: blocks, cost: FaultCost.scaled(FaultCost.hugePage, distance: distance(cpu, node)) * UInt64(blocks))
        case .none, .ptes(.none), .ptes(.zeroPage):
            if !write {
                if case .ptes(.zeroPage) = current { return true }
                replacement = .ptes(.zeroPage)
                charge(faults: pages, cost: FaultCost.zeroPage * UInt64(pages))
                break
            }
            if let node = uniformAllocation(region, span, pages: pages, granule: 1, cpu: cpu) {
                replacement = .ptes(.resident(node))
                charge(faults: pages, cost: FaultCost.scaled(cost, distance: distance(cpu, node)) * UInt64(pages))
            } else if let number = interleavedAllocation(region, span, cpu: cpu, cost: cost) {
                replacement = .interleaved(number)
            } else {
                return false
            }
        case .huge(let leaf) where leaf.kind == .hugeZero && write:
            guard let node = uniformAllocation(region, span, pages: pages, granule: PageTables.entries, cpu: cpu) else { return false }
            replacement = .huge(HugeLeaf(kind: .thp, node: node))
            charge(faults: blocks, cost: FaultCost.scaled(FaultCost.hugePage, distance: distance(cpu, node)) * UInt64(blocks))
        case .ptes, .interleaved, .huge:
            return true
        case .table:
            return false
        }
        tables.puds[key] = .uniform(replacement)
        return true
    }

    /// One 2 MiB block: a THP (or the huge zero page) where one may form, else base pages.
    private func faultBlock(_ region: Region, _ table: PMDTable, _ index: Int, _ block: Range<UInt>,
                            write: Bool, cpu: Int, cost: UInt64) throws(PageError) {
        if case .table(let page) = table.entries[index] {
            try faultPages(region, page, block, write: write, cpu: cpu, cost: cost)
            return
        }
        let blockStart = block.lowerBound / PageTables.pmdSize * PageTables.pmdSize
        let span = Int(blockStart) - Int(region.base)..<Int(blockStart) - Int(region.base) + Self.thpSize
        var entry = table.entries[index]
        switch entry {
        case .none where thpEligible(region, span, write: write):
            if !write {
                table.entries[index] = .huge(HugeLeaf(kind: .hugeZero, node: 0))
                charge(faults: 1, cost: FaultCost.zeroPage)
                return
            }
            if let node = allocateHuge(region, blockStart, cpu: cpu) {
                table.entries[index] = .huge(HugeLeaf(kind: .thp, node: node))
                charge(faults: 1, cost: FaultCost.scaled(FaultCost.hugePage, distance: distance(cpu, node)))
                return
            }
            entry = .ptes(.none)  // no node has a free huge page: base pages (thp_fault_fallback)
        case .huge(let leaf) where leaf.kind == .hugeZero && write:
            // A write to the huge zero page gets a THP of its own (Linux 6.13+), or base pages.
            if let node = allocateHuge(region, blockStart, cpu: cpu) {
                table.entries[index] = .huge(HugeLeaf(kind: .thp, node: node))
                charge(faults: 1, cost: FaultCost.scaled(FaultCost.hugePage, distance: distance(cpu, node)))
                return
            }
            entry = .ptes(.zeroPage)
        case .huge:
            return
        case .none:
            entry = .ptes(.none)  // a new PTE table
        case .interleaved:
            return  // every page present
        case .ptes, .table:
            break
        }
        if case .ptes(let current) = entry, block.count == Self.thpSize {
            if !write {
                guard current == .none else { table.entries[index] = entry; return }
                table.entries[index] = .ptes(.zeroPage)
                charge(faults: PageTables.entries, cost: FaultCost.zeroPage * UInt64(PageTables.entries))
                return
            }
            if current.node != nil { table.entries[index] = entry; return }
            if let node = uniformAllocation(region, span, pages: PageTables.entries, granule: 1, cpu: cpu) {
                table.entries[index] = .ptes(.resident(node))
                charge(faults: PageTables.entries, cost: FaultCost.scaled(cost, distance: distance(cpu, node)) * UInt64(PageTables.entries))
                return
            }
            if let number = interleavedAllocation(region, span, cpu: cpu, cost: cost) {
                table.entries[index] = .interleaved(number)
                return
            }
        }
        table.entries[index] = entry
        guard let page = tables.ptePage(table, index, at: blockStart) else { return }
        try faultPages(region, page, block, write: write, cpu: cpu, cost: cost)
    }

    /// The base pages of `block` in a PTE page of their own, one by one.
    private func faultPages(_ region: Region, _ page: PTEPage, _ block: Range<UInt>, write: Bool, cpu: Int, cost: UInt64) throws(PageError) {
        var faults = 0, spent: UInt64 = 0
        defer { charge(faults: faults, cost: spent) }
        var address = block.lowerBound
        while address < block.upperBound {
            let slot = page.entries + PageTables.pteIndex(address)
            let current = slot.pointee
            if current == .none, !write {
                slot.pointee = .zeroPage
                faults += 1
                spent += FaultCost.zeroPage
            } else if write, current.node == nil {
                let node = try allocateBase(region, address, cpu: cpu)
                slot.pointee = .resident(node)
                faults += 1
                spent += FaultCost.scaled(cost, distance: distance(cpu, node))
            }
            address += UInt(Self.pageSize)
        }
    }

    // MARK: hugetlb

    /// hugetlb faults: each huge page of `range` not yet present is taken from the pool, on the
    /// node the policy picks among those with a free pool page (SIGBUS when none may be used).
    private func faultHugetlb(_ region: Region, _ range: Range<UInt>, pageSize: Int, cpu: Int) throws(PageError) {
        var address = range.lowerBound / UInt(pageSize) * UInt(pageSize)
        while address < range.upperBound {
            let key = PageTables.pudKey(address)
            let present: Bool
            if pageSize == Int(PageTables.pudSize) {
                if case .huge? = tables.puds[key] { present = true } else { present = false }
            } else if case .huge = tables.pmdEntry(address) { present = true } else { present = false }
            if !present {
                let offset = Int(address - region.base)
                let policy = region.policies.value(at: offset) ?? taskPolicy
                guard let node = memory.allocatePoolPage(pageSize, policy, cpu: cpu, index: Int(address) / pageSize) else {
                    throw PageError(.fault, "SIGBUS at region '\(region.name)' offset \(hex(offset)) (address \(hex(address))): "
                        + "no free \(ByteSize.format(pageSize)) hugetlb page on the nodes policy \(policy.numaMapsText) allows")
                }
                let leaf = HugeLeaf(kind: .hugetlb, node: node)
                if pageSize == Int(PageTables.pudSize) {
                    tables.puds[key] = .huge(leaf)
                } else if let table = tables.pmdTable(key) {
                    table.entries[PageTables.pmdIndex(address)] = .huge(leaf)
                }
                let cost = pageSize == Int(PageTables.pudSize) ? FaultCost.gigaPage : FaultCost.hugePage
                charge(faults: 1, cost: FaultCost.scaled(cost, distance: distance(cpu, node)))
            }
            address += UInt(pageSize)
        }
    }

    // MARK: Where pages go

    /// Whether a THP (or the huge zero page, for a read) may map the 2 MiB or 1 GiB aligned `span`:
    /// THP mode "always" without MADV_NOHUGEPAGE, or "madvise" with MADV_HUGEPAGE, and all of
    /// `span` inside one VMA of the region (same protection, advice, lock and policy throughout)
    /// of private memory (shmem takes no THP).
    func thpEligible(_ region: Region, _ span: Range<Int>, write: Bool) -> Bool {
        guard thpEnabled, region.hugePageSize == nil, span.lowerBound >= 0, span.upperBound <= region.size,
              region.views.segments.isEmpty || region.views.segments(overlapping: span).isEmpty,
              let protection = region.protections.uniformValue(over: span), protection.allows(write: write),
              region.hugePageAdvice.isUniform(over: span), region.locked.isUniform(over: span),
              region.policies.isUniform(over: span) else { return false }
        let advice = region.hugePageAdvice.value(at: span.lowerBound)
        return thpAlways ? advice != .nohugepage : advice == .hugepage
    }

    /// The one node all `pages` of `span` would get, allocated, if page-by-page allocation in
    /// units of `granule` pages would put them all there; nil otherwise (a mixed policy, an
    /// interleave over several nodes, or a node that fills up on the way).
    private func uniformAllocation(_ region: Region, _ span: Range<Int>, pages: Int, granule: Int, cpu: Int) -> Int? {
        guard region.policies.isUniform(over: span) else { return nil }
        let policy = region.policies.value(at: span.lowerBound) ?? taskPolicy
        let interleaved = policy.mode == .interleave || policy.mode == .weightedInterleave
        guard !interleaved || policy.nodes.count == 1,
              let (node, intended) = memory.pick(granule, policy, cpu: cpu, index: 0), memory.free(node) >= pages else { return nil }
        memory.take(pages, on: node, intended: intended, cpu: cpu, interleaved: interleaved, advancesCursor: false)
        return node
    }

    /// The number of the round of nodes the interleave policy of `span` (uniform over it) puts its
    /// base pages on, with the pages allocated and the faults charged, when every node has room
    /// for its share; nil otherwise, or under another policy.
    private func interleavedAllocation(_ region: Region, _ span: Range<Int>, cpu: Int, cost: UInt64) -> Int? {
        guard region.policies.isUniform(over: span), let policy = region.policies.value(at: span.lowerBound),
              policy.mode == .interleave || policy.mode == .weightedInterleave else { return nil }
        let cycle = InterleaveCycle(nodes: memory.interleaveRound(policy))
        let pages = cycle.pages(in: region.address(span.lowerBound)..<region.address(span.upperBound), nodeCount: nodeCount)
        guard memory.allocateInterleaved(pages, cpu: cpu) else { return nil }
        let spent = pages.enumerated().reduce(UInt64(0)) { sum, share in
            sum + FaultCost.scaled(cost, distance: distance(cpu, share.offset)) * UInt64(share.element)
        }
        charge(faults: span.count / Self.pageSize, cost: spent)
        return tables.cycles.number(of: cycle)
    }

    /// A node for a THP at `blockStart`, allocated; nil when no allowed node has 2 MiB free.
    private func allocateHuge(_ region: Region, _ blockStart: UInt, cpu: Int) -> Int? {
        let policy = region.policies.value(at: Int(blockStart - region.base))
        return memory.allocate(PageTables.entries, policy ?? taskPolicy, cpu: cpu,
                               index: policy == nil ? nil : Int(blockStart >> UInt(PageTables.pmdShift)))
    }

    /// A node for the base page at `address`, allocated; out of memory when the policy's nodes
    /// are full.
    private func allocateBase(_ region: Region, _ address: UInt, cpu: Int) throws(PageError) -> Int {
        if taskPolicyIsDefault, region.policies.segments.isEmpty, let node = memory.allocateLocal(1, cpu: cpu) { return node }
        let offset = Int(address - region.base)
        let policy = region.policies.value(at: offset)
        guard let node = memory.allocate(1, policy ?? taskPolicy, cpu: cpu,
                                         index: policy == nil ? nil : Int(address >> UInt(PageTables.pageShift))) else {
            throw outOfMemory(region, offset, policy ?? taskPolicy)
        }
        return node
    }

    private func outOfMemory(_ region: Region, _ offset: Int, _ policy: MemoryPolicy) -> PageError {
        let scope = policy.mode == .bind ? "the nodes policy \(policy.numaMapsText) allows are" : "every node is"
        return PageError(.system(errno: ENOMEM), "out of simulated memory at region '\(region.name)' offset \(hex(offset)): "
            + "\(scope) full (\(memory.usageText()))")
    }

    func distance(_ cpu: Int, _ node: Int) -> Int {
        distances[cpu * nodeCount + node]
    }

    func charge(faults: Int, cost: UInt64) {
        clock.faults += faults
        clock.ns += cost
    }
}

extension Protection {
    /// Whether a write (or a read) may access memory of this protection.
    func allows(write: Bool) -> Bool {
        switch self {
        case .none: false
        case .r, .rx: !write
        case .rw, .rwx: true
        }
    }
}
