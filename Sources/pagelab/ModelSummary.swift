import PageCore

/// What `pagelab doctor` says about the model backend: what it simulates, and the machine
/// `--backend model` gets by default.
enum ModelSummary {
    static func text(_ machine: SimulatedMachine) -> String {
        let topology = machine.topology
        let pools = machine.hugetlbPages.filter { $0.value > 0 }.sorted { $0.key < $1.key }
            .map { "\($0.value) × \(ByteSize.format($0.key))" }
        return """
            model backend (--backend model, or pl.space{ backend = "model", ... } beside the host): simulated, not measured.
              simulates: VMAs and protections; demand paging (a read maps the zero page, a write allocates); THP \
            (always/madvise/never, 2M-aligned extents in one VMA, the huge zero page, MADV_COLLAPSE); hugetlb pools \
            (2M, 1G) reserved at mmap time; 4-level page tables (5 with levels = 5), PGD/PUD/PMD/PTE pages and VmPTE; \
            RSS and faults; NUMA nodes with capacities and distances, memory policies (default, local, bind, preferred, \
            preferred-many, interleave, weighted-interleave), first touch, fallback by distance, move_pages; fault \
            time estimated from this VM's measured costs.
              does not simulate: swap and reclaim, khugepaged, page cache and files, other processes.
              default machine: \(topology.nodes.count) node\(topology.nodes.count == 1 ? "" : "s") \
            (\(topology.nodes.map { "N\($0.id) \(ByteSize.format($0.memory)), \($0.cpus.count) CPUs" }.joined(separator: "; "))), \
            THP \(machine.thpMode), hugetlb \(pools.isEmpty ? "none" : pools.joined(separator: ", ")), \
            \(machine.pageTableLevels)-level paging; presets for pl.space: \(NUMATopology.presetNames.joined(separator: ", ")).
            """
    }
}
