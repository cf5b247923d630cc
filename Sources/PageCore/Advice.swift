import CPageSys
import Glibc

/// `madvise(2)` advice PageLab offers, named as in the Lua API.
public enum Advice: String, Sendable, CaseIterable {
    case hugepage, nohugepage, dontneed, free
    case populateRead = "populate_read", populateWrite = "populate_write"
    case collapse, willneed, cold, pageout

    /// The `MADV_*` value.
    var value: Int32 {
        switch self {
        case .hugepage: MADV_HUGEPAGE
        case .nohugepage: MADV_NOHUGEPAGE
        case .dontneed: MADV_DONTNEED
        case .free: MADV_FREE
        case .populateRead: MADV_POPULATE_READ
        case .populateWrite: MADV_POPULATE_WRITE
        case .collapse: MADV_COLLAPSE
        case .willneed: MADV_WILLNEED
        case .cold: MADV_COLD
        case .pageout: MADV_PAGEOUT
        }
    }

    /// Advice that faults pages in (or copies them into huge pages), so it is charged to the
    /// commit budget, needs committed memory, and may run long enough to be split for Ctrl-C.
    var populates: Bool {
        switch self {
        case .populateRead, .populateWrite, .collapse: true
        default: false
        }
    }

    /// Advice after which the range's pages no longer count against the commit budget.
    var releases: Bool {
        switch self {
        case .dontneed, .free, .pageout: true
        default: false
        }
    }
}
