import Glibc

/// What the model reports: page statistics, page states and nodes from its tables, smaps and
/// process figures derived from its VMAs and pages.
extension ModelBackend {
    func stats(_ region: Region, _ span: Range<Int>) throws(PageError) -> PageStats {
        var stats = PageStats(size: span.count, committed: region.protections.coverage(of: span), source: .simulated)
        let range = region.address(span.lowerBound)..<region.address(span.upperBound)
        try tables.forEachRun(range) { run in
            guard region.count(run.state, run.addresses, into: &stats) else { return }
            run.forEachNode(nodeCount: nodeCount) { node, pages in stats.nodes[memory.id(at: node), default: 0] += pages * Self.pageSize }
        }
        stats.pageTables = tables.tablePages(range, levels: machine.pageTableLevels)
        return stats
    }

    func pageStates(_ region: Region, _ span: Range<Int>) throws(PageError) -> [PageState] {
        var states = region.bookkeepingStates(span)
        let start = region.address(span.lowerBound)
        try tables.forEachRun(start..<region.address(span.upperBound)) { run in
            let first = Int(run.addresses.lowerBound - start) / Self.pageSize
            let end = Int(run.addresses.upperBound - start) / Self.pageSize
            states[first..<end].withUnsafeMutableBufferPointer { $0.update(repeating: run.state) }
        }
        return states
    }

    func pageNodes(_ region: Region, _ span: Range<Int>) throws(PageError) -> [Int] {
        var nodes = [Int](repeating: -Int(ENOENT), count: span.count / Self.pageSize)
        let start = region.address(span.lowerBound)
        try tables.forEachRun(start..<region.address(span.upperBound)) { run in
            let first = Int(run.addresses.lowerBound - start) / Self.pageSize
            let end = Int(run.addresses.upperBound - start) / Self.pageSize
            if run.cycle != nil {
                for page in first..<end {
                    nodes[page] = run.node(at: start + UInt(page * Self.pageSize)).map { memory.id(at: $0) } ?? -Int(EFAULT)
                }
                return
            }
            let value = run.node.map { memory.id(at: $0) } ?? -Int(EFAULT)
            nodes[first..<end].withUnsafeMutableBufferPointer { $0.update(repeating: value) }
        }
        return nodes
    }

    /// The smaps view of the simulated VMAs: one per run of equal protection (or reservation),
    /// advice, lock and policy, with their pages counted as the kernel would.
    func smaps(_ region: Region) throws(PageError) -> SmapsSummary {
        var summary = SmapsSummary()
        summary.kernelPageSize = region.hugePageSize ?? Self.pageSize
        for vma in vmas(of: region) {
            summary.vmas += 1
            let stats = try self.stats(region, vma.span)
            let hugetlb = region.hugePageSize != nil ? stats.resident : 0
            summary.rss += stats.resident - hugetlb
            summary.pss += stats.resident - hugetlb
            summary.anonHugePages += stats.huge - hugetlb
            summary.privateHugetlb += hugetlb
            if vma.locked { summary.locked += stats.resident - hugetlb }
            let advice = vma.advice
            let eligible = region.hugePageSize == nil && machine.thpMode != "never"
                && (machine.thpMode == "always" ? advice != .nohugepage : advice == .hugepage)
            if eligible { summary.thpEligible += vma.span.count }
            summary.vmFlags.append(vma.flags(hugetlb: region.hugePageSize != nil))
        }
        return summary
    }

    /// The region's VMAs as the kernel would have split and merged them.
    private func vmas(of region: Region) -> [SimulatedVMA] {
        var cuts = Set([0, region.size])
        for range in region.protections.segments.map(\.range) + region.hugePageAdvice.segments.map(\.range)
            + region.locked.segments.map(\.range) + region.policies.segments.map(\.range) {
            cuts.insert(range.lowerBound)
            cuts.insert(range.upperBound)
        }
        var result: [SimulatedVMA] = []
        let bounds = cuts.sorted()
        for (lower, upper) in zip(bounds, bounds.dropFirst()) {
            let vma = SimulatedVMA(span: lower..<upper, protection: region.protections.value(at: lower),
                                   advice: region.hugePageAdvice.value(at: lower), locked: region.locked.value(at: lower) != nil,
                                   policy: region.policies.value(at: lower))
            if let last = result.last, last.sameFlags(as: vma) {
                result[result.count - 1].span = last.span.lowerBound..<upper
            } else {
                result.append(vma)
            }
        }
        return result
    }

    func processStats(proportional: Bool, regions: [Region]) -> ProcessStats {
        var rss = 0, shmem = 0, hugetlb = 0
        tables.puds.forEach { _, entry in
            switch entry {
            case .huge: hugetlb += Int(PageTables.pudSize)
            case .uniform(let pmd):
                let bytes = Self.bytes(of: pmd)
                rss += bytes.mapped * PageTables.entries
                shmem += bytes.shared * PageTables.entries
                hugetlb += bytes.hugetlb * PageTables.entries
            case .table(let table):
                for pmd in table.all {
                    let bytes = Self.bytes(of: pmd)
                    rss += bytes.mapped
                    shmem += bytes.shared
                    hugetlb += bytes.hugetlb
                }
            }
        }
        var stats = ProcessStats(rss: rss, rssShmem: shmem, vmSize: reservedBytes,
                                 vmPTE: tables.allTablePages(levels: machine.pageTableLevels) * Self.pageSize,
                                 vmSwap: 0, hugetlb: hugetlb, minflt: clock.faults, majflt: 0, source: .simulated)
        if proportional { stats.pss = rss - shmem + (shmem > 0 ? sharedBytesMapped(regions) : 0) }
        return stats
    }

    /// Bytes one PMD entry maps in RSS (private and shared; the zero pages do not count), the
    /// shared part of them, and hugetlb bytes.
    private static func bytes(of entry: PMDEntry) -> (mapped: Int, shared: Int, hugetlb: Int) {
        switch entry {
        case .none: (0, 0, 0)
        case .ptes(let pte): (pte.node == nil ? 0 : thpSize, pte.isShared ? thpSize : 0, 0)
        case .interleaved: (thpSize, 0, 0)
        case .table(let page):
            page.all.reduce((0, 0, 0)) { sum, pte in
                (sum.0 + (pte.node == nil ? 0 : pageSize), sum.1 + (pte.isShared ? pageSize : 0), 0)
            }
        case .huge(let leaf):
            switch leaf.kind {
            case .thp: (thpSize, 0, 0)
            case .hugetlb: (0, 0, thpSize)
            case .hugeZero: (0, 0, 0)
            }
        }
    }
}

/// One simulated VMA of a region: a run of equal flags.
struct SimulatedVMA {
    var span: Range<Int>
    /// nil where the region is only reserved.
    var protection: Protection?
    var advice: HugePageAdvice?
    var locked: Bool
    var policy: MemoryPolicy?

    func sameFlags(as other: SimulatedVMA) -> Bool {
        protection == other.protection && advice == other.advice && locked == other.locked && policy == other.policy
    }

    /// VmFlags as smaps prints them, for the flags PageLab sets.
    func flags(hugetlb: Bool) -> String {
        var words: [String] = []
        if let protection {
            if protection.allows(write: false) { words.append("rd") }
            if protection.allows(write: true) { words.append("wr") }
            if protection == .rx || protection == .rwx { words.append("ex") }
        }
        words += ["mr", "mw", "me"]
        if locked { words.append("lo") }
        words.append(protection == nil ? "nr" : "ac")
        if hugetlb { words.append("ht") }
        if advice == .hugepage { words.append("hg") }
        if advice == .nohugepage { words.append("nh") }
        return words.joined(separator: " ")
    }
}
