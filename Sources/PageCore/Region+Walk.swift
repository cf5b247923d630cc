extension Region {
    /// The page walk for the byte at `offset` (any offset inside the region).
    public func walk(offset: Int) throws(PageError) -> PageWalk {
        guard !isClosed else { throw PageError(.closed, "attempt to use a closed region '\(name)'") }
        guard offset >= 0, offset < size else {
            throw .invalid("offset", "offset \(hex(offset)) is outside region '\(name)' (size \(hex(size)))")
        }
        return try PageWalk.host(address: UInt64(base) + UInt64(offset))
    }
}
