import Glibc

/// The model backend: a deterministic simulation of the Linux memory manager of one process on a
/// `SimulatedMachine` (DESIGN §2). Reservations are VMAs in a simulated address space; commits,
/// protections and advice live in the regions' bookkeeping, as on the host; pages arrive on first
/// touch (a read maps the zero page, a write allocates on the node the memory policy picks, and
/// falls back by distance when that node is full); THP and hugetlb pages follow the kernel's
/// rules; page tables are counted level by level. Nothing here touches real memory, so its cost
/// follows the number of distinct extents, not the bytes simulated.
final class ModelBackend: MemoryBackend {
    let machine: SimulatedMachine
    let tables = PageTables()
    let memory: NodeMemory
    var addresses: ModelAddressMap
    var clock = SimulatedClock()
    /// The simulated main thread's policy (set_mempolicy), inherited by touch workers.
    var taskPolicy = MemoryPolicy.default {
        didSet { taskPolicyIsDefault = taskPolicy.mode == .default || taskPolicy.mode == .local }
    }
    /// Pages go to the faulting thread's node unless a policy says otherwise: the fast path.
    private(set) var taskPolicyIsDefault = true
    /// `machine`'s facts the fault path reads for every page, kept flat.
    let thpEnabled: Bool, thpAlways: Bool
    let nodeCount: Int
    let distances: [Int]
    /// Bytes the live regions reserve: the simulated VmSize.
    var reservedBytes = 0

    init(machine: SimulatedMachine) {
        self.machine = machine
        thpEnabled = machine.thpMode != "never"
        thpAlways = machine.thpMode == "always"
        nodeCount = machine.topology.nodes.count
        distances = machine.topology.distances.flatMap { $0 }
        memory = NodeMemory(machine: machine)
        addresses = ModelAddressMap(limit: machine.userAddressLimit)
    }

    var source: FigureSource { .simulated }
    var enforcesBudget: Bool { false }
    var topology: NUMATopology { machine.topology }

    static let pageSize = 4096
    static let thpSize = 2 << 20

    func measure(_ body: () throws(PageError) -> Void) throws(PageError) -> OpResult {
        let before = clock
        defer { clock.ns += FaultCost.mappingCall }
        try body()
        return OpResult(ns: clock.ns - before.ns + FaultCost.mappingCall, minflt: clock.faults - before.faults, majflt: 0,
                        source: .simulated)
    }

    func reserve(size: Int, options: ReserveOptions) throws(PageError) -> UInt {
        try Reservation.validate(size: size, at: options.at, align: options.align, hugePageSize: options.hugePageSize,
                                 offered: SimulatedMachine.hugePageSizes)
        if let hugePageSize = options.hugePageSize {
            let pool = memory.pools[hugePageSize] ?? HugetlbPool(pageSize: hugePageSize, free: [])
            let needed = size / hugePageSize
            guard pool.available >= needed else {
                throw PageError(.system(errno: ENOMEM), "cannot reserve \(ByteSize.format(size)) of \(ByteSize.format(hugePageSize)) hugetlb pages: "
                    + "it needs \(needed) free pages and the simulated pool has \(pool.available) of \(pool.total)")
            }
        }
        let thpAligned = size % Self.thpSize == 0 ? Self.thpSize : Self.pageSize
        let base = try addresses.reserve(size: size, at: options.at, align: max(options.align ?? 0, options.hugePageSize ?? 0, thpAligned))
        if let hugePageSize = options.hugePageSize { memory.pools[hugePageSize]?.reserved += size / hugePageSize }
        reservedBytes += size
        return base
    }

    func release(_ region: Region) {
        zap(region, 0..<region.size, freeTables: true)
        if let hugePageSize = region.hugePageSize { memory.pools[hugePageSize]?.reserved -= region.size / hugePageSize }
        addresses.release(region.base)
        reservedBytes -= region.size
    }

    func mapCommitted(_ region: Region, _ span: Range<Int>, _ protection: Protection) throws(PageError) {}

    func mapReserved(_ region: Region, _ span: Range<Int>) throws(PageError) {
        zap(region, span, freeTables: true)
    }

    func protect(_ region: Region, _ span: Range<Int>, _ protection: Protection) throws(PageError) {
        splitEdges(region, span) { region.protections.value(at: $0) != protection }
    }

    func advise(_ region: Region, _ span: Range<Int>, _ advice: Advice) throws(PageError) {
        switch advice {
        case .hugepage:
            splitEdges(region, span) { region.hugePageAdvice.value(at: $0) != .hugepage }
        case .nohugepage:
            splitEdges(region, span) { region.hugePageAdvice.value(at: $0) != .nohugepage }
        case .dontneed:
            let allowed = try unlockedPrefix(region, span, advice)
            zap(region, allowed, freeTables: false)
            try refuseLocked(region, span, allowed, advice)
        case .free:
            try refuseOnViews(region, span, advice)
            // Lazily freed pages stay resident until memory runs short; a huge page only
            // partly advised is split first.
            let allowed = try unlockedPrefix(region, span, advice)
            if !allowed.isEmpty { splitEdges(region, allowed) { _ in true } }
            try refuseLocked(region, span, allowed, advice)
        case .populateRead, .populateWrite:
            try populate(region, span, write: advice == .populateWrite)
        case .collapse:
            try refuseOnViews(region, span, advice)
            try collapse(region, span)
        case .cold, .pageout:
            // Anonymous memory without swap: nothing to reclaim.
            try refuseLocked(region, span, try unlockedPrefix(region, span, advice), advice)
        case .willneed:
            break
        }
    }

    /// The part of `span` before its first locked page: dontneed, free, cold and pageout work VMA
    /// by VMA and stop with EINVAL at a locked one (can_madv_lru_vma), as does free, cold or
    /// pageout on hugetlb memory.
    private func unlockedPrefix(_ region: Region, _ span: Range<Int>, _ advice: Advice) throws(PageError) -> Range<Int> {
        if region.hugePageSize != nil, advice != .dontneed {
            throw PageError(.system(errno: EINVAL), "cannot advise \(advice.rawValue) on region '\(region.name)' range "
                + "\(region.describe(span)): madvise: \(String(cString: strerror(EINVAL))) (hugetlb memory)")
        }
        let firstLocked = region.locked.segments(overlapping: span).first?.range.lowerBound ?? span.upperBound
        return span.lowerBound..<firstLocked
    }

    private func refuseLocked(_ region: Region, _ span: Range<Int>, _ allowed: Range<Int>, _ advice: Advice) throws(PageError) {
        guard allowed.upperBound < span.upperBound else { return }
        throw PageError(.system(errno: EINVAL), "cannot advise \(advice.rawValue) on region '\(region.name)' range "
            + "\(region.describe(span)): madvise: \(String(cString: strerror(EINVAL))) (\(region.describe(allowed.upperBound..<span.upperBound)) is locked)")
    }

    func lock(_ region: Region, _ span: Range<Int>) throws(PageError) {
        splitEdges(region, span) { region.locked.value(at: $0) == nil }
        // mlock populates what it may access: writable memory with write faults, read-only memory
        // with the zero page, and fails (ENOMEM) on PROT_NONE, as populate_vma_page_range does.
        for segment in region.protections.segments(overlapping: span) {
            switch segment.value {
            case .rw, .rwx: try fault(region, segment.range, write: true, cpu: mainCPU, cost: FaultCost.basePopulate)
            case .r, .rx: try fault(region, segment.range, write: false, cpu: mainCPU, cost: FaultCost.basePopulate)
            case .none:
                throw PageError(.system(errno: ENOMEM), "cannot lock region '\(region.name)' range \(region.describe(segment.range)): "
                    + "mlock: \(String(cString: strerror(ENOMEM))) (protection none cannot be populated)")
            }
        }
    }

    func unlock(_ region: Region, _ span: Range<Int>) throws(PageError) {
        splitEdges(region, span) { region.locked.value(at: $0) != nil }
    }

    /// The node position of the simulated main thread: it runs on CPU 0.
    var mainCPU: Int { memory.position(of: topology.node(ofCPU: 0)) }
}
