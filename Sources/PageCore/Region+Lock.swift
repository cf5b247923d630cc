extension Region {
    /// Locks committed memory (`mlock(2)`), which also faults it in: charged to the commit
    /// budget, and done in pieces so that Ctrl-C stops it.
    @discardableResult
    public func lock(offset: Int, length: Int) throws(PageError) -> OpResult {
        let span = try span(offset: offset, length: length)
        try requireCommitted(span, "lock")
        try requireHugePageAligned(span, "lock")
        try requireAllocatedViews(span, "lock")
        let footprint = try chargeBudget("lock", span)
        defer { recordCharge(footprint) }
        return try perform("lock") { () throws(PageError) in
            try forEachPiece(of: span) { piece throws(PageError) in
                try backend.lock(self, piece)
                locked.insert(piece)
            }
        }
    }

    /// Unlocks the range (`munlock(2)`); the pages stay resident.
    @discardableResult
    public func unlock(offset: Int, length: Int) throws(PageError) -> OpResult {
        let span = try span(offset: offset, length: length)
        try requireHugePageAligned(span, "unlock")
        return try perform("unlock") { () throws(PageError) in
            try backend.unlock(self, span)
            locked.remove(span)
        }
    }
}
