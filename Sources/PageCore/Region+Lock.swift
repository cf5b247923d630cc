import Glibc

extension Region {
    /// Locks committed memory (`mlock(2)`), which also faults it in: charged to the commit
    /// budget, and done in pieces so that Ctrl-C stops it.
    @discardableResult
    public func lock(offset: Int, length: Int) throws(PageError) -> OpResult {
        let span = try span(offset: offset, length: length)
        try requireCommitted(span, "lock")
        let footprint = try chargeBudget("lock", span)
        defer { recordCharge(footprint) }
        return try OpResult.measure { () throws(PageError) in
            try forEachPiece(of: span) { piece throws(PageError) in
                do throws(Errno) {
                    try Kernel.lock(address(piece.lowerBound), length: piece.count)
                } catch {
                    throw .system(error, "cannot lock region '\(name)' range \(describe(piece)): mlock\(Self.lockHint(error))")
                }
                locked.insert(piece)
            }
        }
    }

    /// Unlocks the range (`munlock(2)`); the pages stay resident.
    @discardableResult
    public func unlock(offset: Int, length: Int) throws(PageError) -> OpResult {
        let span = try span(offset: offset, length: length)
        return try OpResult.measure { () throws(PageError) in
            do throws(Errno) {
                try Kernel.unlock(address(span.lowerBound), length: span.count)
            } catch {
                throw .system(error, "cannot unlock region '\(name)' range \(describe(span)): munlock")
            }
            locked.remove(span)
        }
    }

    private static func lockHint(_ error: Errno) -> String {
        switch error.code {
        case ENOMEM, EPERM: " (RLIMIT_MEMLOCK, `ulimit -l`, limits locked memory unless run as root)"
        case EAGAIN: " (some pages could not be locked)"
        default: ""
        }
    }
}
