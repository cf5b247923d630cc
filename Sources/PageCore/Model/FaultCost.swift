/// The model's estimate of what the kernel spends, in nanoseconds, from the warm figures
/// measured on the build VM (linux-kernel.md §7). Faults that clear memory cost more on a
/// remote node, in proportion to the SLIT distance (a distance of 21 costs 2.1 times a local one).
enum FaultCost {
    /// A write fault on a base page from a user-space loop (trap included): ≈1.5 µs.
    static let baseWrite: UInt64 = 1_500
    /// A base page populated without a trap (MADV_POPULATE_WRITE, mlock): ≈1.0 µs.
    static let basePopulate: UInt64 = 1_000
    /// A read fault mapping the zero page: the trap, ≈0.5 µs, and no clearing.
    static let zeroPage: UInt64 = 500
    /// A THP fault: ≈477 ns per 4 KiB with a write loop, 512 of them.
    static let hugePage: UInt64 = 244_000
    /// A 1 GiB hugetlb page: 512 times a 2 MiB one.
    static let gigaPage: UInt64 = 512 * hugePage
    /// MADV_COLLAPSE of one 2 MiB block of base pages: 28.2 ms for 32 blocks measured.
    static let collapse: UInt64 = 880_000
    /// fallocate of one base page of a memory file (allocated and cleared, mapped nowhere):
    /// ≈280 ns measured for 1 GiB.
    static let shmemAllocate: UInt64 = 280
    /// Punching one base page out of a memory file: ≈450 ns measured for 1 GiB.
    static let shmemPunch: UInt64 = 450
    /// A fault that maps a page already in a memory file from a user-space loop: the trap, no
    /// clearing, ≈1.2 µs.
    static let sharedFault: UInt64 = 1_200
    /// The same without a trap (MADV_POPULATE_WRITE, mlock): ≈230 ns.
    static let sharedPopulate: UInt64 = 230
    /// A system call that changes mappings without touching pages (mmap, mprotect, madvise):
    /// ≈2 µs for an mmap and munmap pair.
    static let mappingCall: UInt64 = 1_000

    /// `cost` of clearing memory on `node` for a thread on `cpu`.
    static func scaled(_ cost: UInt64, distance: Int) -> UInt64 {
        cost * UInt64(distance) / UInt64(NUMATopology.localDistance)
    }
}

/// What the model counts while it runs: simulated faults and kernel time.
struct SimulatedClock {
    var faults = 0
    var ns: UInt64 = 0
}
