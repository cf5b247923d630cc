import Glibc

extension Region {
    /// Commits the range as HotSpot's `os::commit_memory` does: `mmap(MAP_FIXED)` of accessible
    /// anonymous memory over the reservation (read-write, or read-write-execute for an `exec`
    /// region). Only parts not yet committed are mapped, so committing twice keeps the data.
    /// Allocates no memory: pages come with the first touch.
    @discardableResult
    public func commit(offset: Int, length: Int) throws(PageError) -> OpResult {
        let span = try span(offset: offset, length: length)
        let protection: Protection = executable ? .rwx : .rw
        return try OpResult.measure { () throws(PageError) in
            for gap in protections.gaps(in: span) {
                do throws(Errno) {
                    _ = try Kernel.mapAnonymous(at: address(gap.lowerBound), length: gap.count,
                                                protection: protection.flags, flags: MAP_FIXED)
                } catch {
                    throw .system(error, "cannot commit region '\(name)' range \(describe(gap)): mmap")
                }
                protections.assign(protection, to: gap)
                hugePageAdvice.remove(gap)
            }
        }
    }

    /// Uncommits the range as HotSpot's `os::uncommit_memory` does: maps the reservation back
    /// (`mmap(MAP_FIXED | MAP_NORESERVE, PROT_NONE)`), which frees the pages and page tables, and
    /// drops locks, huge page advice and budget charges.
    @discardableResult
    public func uncommit(offset: Int, length: Int) throws(PageError) -> OpResult {
        let span = try span(offset: offset, length: length)
        return try OpResult.measure { () throws(PageError) in
            do throws(Errno) {
                _ = try Kernel.mapAnonymous(at: address(span.lowerBound), length: span.count,
                                            protection: PROT_NONE, flags: MAP_FIXED | MAP_NORESERVE)
            } catch {
                throw .system(error, "cannot uncommit region '\(name)' range \(describe(span)): mmap")
            }
            protections.remove(span)
            hugePageAdvice.remove(span)
            locked.remove(span)
            charged.remove(span)
        }
    }

    /// Changes the protection of committed memory (`mprotect(2)`). Reserved memory cannot be
    /// protected: that would commit it behind the bookkeeping's back.
    @discardableResult
    public func protect(offset: Int, length: Int, _ protection: Protection) throws(PageError) -> OpResult {
        let span = try span(offset: offset, length: length)
        try requireCommitted(span, "protect")
        return try OpResult.measure { () throws(PageError) in
            do throws(Errno) {
                try Kernel.protect(address(span.lowerBound), length: span.count, protection.flags)
            } catch {
                throw .system(error, "cannot protect region '\(name)' range \(describe(span)) \(protection.rawValue): mprotect")
            }
            protections.assign(protection, to: span)
        }
    }
}
