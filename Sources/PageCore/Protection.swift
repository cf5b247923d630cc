import Glibc

/// Access rights of committed memory, as `mprotect(2)` sets them.
public enum Protection: String, Sendable, CaseIterable {
    case none, r, rw, rx, rwx

    /// The `PROT_*` bits.
    var flags: Int32 {
        switch self {
        case .none: PROT_NONE
        case .r: PROT_READ
        case .rw: PROT_READ | PROT_WRITE
        case .rx: PROT_READ | PROT_EXEC
        case .rwx: PROT_READ | PROT_WRITE | PROT_EXEC
        }
    }
}
