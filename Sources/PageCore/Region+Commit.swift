import Glibc

extension Region {
    /// Commits the range as HotSpot's `os::commit_memory` does: `mmap(MAP_FIXED)` of accessible
    /// anonymous memory over the reservation (read-write, or read-write-execute for an `exec`
    /// region). Only parts not yet committed are mapped, so committing twice keeps the data.
    /// Allocates no memory: pages come with the first touch. New memory has no huge page advice
    /// and no memory policy of its own.
    @discardableResult
    public func commit(offset: Int, length: Int) throws(PageError) -> OpResult {
        let span = try span(offset: offset, length: length)
        let protection: Protection = executable ? .rwx : .rw
        return try perform("commit") { () throws(PageError) in
            for gap in protections.gaps(in: span) {
                try backend.mapCommitted(self, gap, protection)
                protections.assign(protection, to: gap)
                hugePageAdvice.remove(gap)
                policies.remove(gap)
            }
        }
    }

    /// Uncommits the range as HotSpot's `os::uncommit_memory` does: maps the reservation back
    /// (`mmap(MAP_FIXED | MAP_NORESERVE, PROT_NONE)`), which frees the pages and page tables, and
    /// drops locks, huge page advice, memory policies and budget charges. A hugetlb region keeps
    /// its pool pages until it is closed, as HotSpot's special (pinned) memory does.
    @discardableResult
    public func uncommit(offset: Int, length: Int) throws(PageError) -> OpResult {
        let span = try span(offset: offset, length: length)
        if let hugePageSize {
            throw PageError(.system(errno: EINVAL), "cannot uncommit hugetlb region '\(name)' "
                + "(\(ByteSize.format(hugePageSize)) pages): its memory stays committed until the region is closed")
        }
        return try perform("uncommit") { () throws(PageError) in
            try backend.mapReserved(self, span)
            protections.remove(span)
            hugePageAdvice.remove(span)
            locked.remove(span)
            charged.remove(span)
            policies.remove(span)
            dropViews(span)
        }
    }

    /// Changes the protection of committed memory (`mprotect(2)`). Reserved memory cannot be
    /// protected: that would commit it behind the bookkeeping's back.
    @discardableResult
    public func protect(offset: Int, length: Int, _ protection: Protection) throws(PageError) -> OpResult {
        let span = try span(offset: offset, length: length)
        try requireCommitted(span, "protect")
        try requireHugePageAligned(span, "protect")
        return try perform("protect") { () throws(PageError) in
            try backend.protect(self, span, protection)
            protections.assign(protection, to: span)
        }
    }
}
