/// A stretch of virtual memory mapped with one page size.
public struct TLBExtent: Sendable, Equatable {
    public var address: UInt64
    public var length: Int
    public var pageSize: TLBPageSize

    public init(address: UInt64, length: Int, pageSize: TLBPageSize) {
        self.address = address
        self.length = length
        self.pageSize = pageSize
    }

    public var end: UInt64 { address + UInt64(length) }
}

/// The memory an access pattern runs over: extents in address order, which patterns see as one
/// range of offsets (0 up to `bytes`) laid end to end.
public struct TLBFootprint: Sendable, Equatable {
    public let extents: [TLBExtent]
    /// Their total length.
    public let bytes: Int

    /// Checks that the extents are page-aligned for their page size, not empty, in address order
    /// and disjoint; neighbours with one page size are merged.
    public init(_ extents: [TLBExtent]) throws(PageError) {
        guard !extents.isEmpty else { throw .invalid("extents", "no extents: the footprint is empty") }
        var merged: [TLBExtent] = []
        for (index, extent) in extents.enumerated() {
            let what = "extent #\(index + 1) (\(hex(extent.address))+\(ByteSize.format(extent.length)), \(extent.pageSize.name) pages)"
            let pageBytes = UInt64(extent.pageSize.bytes)
            guard extent.length > 0 else { throw .invalid("extents", "\(what): length \(extent.length) is not positive") }
            guard extent.address % pageBytes == 0 else {
                throw .invalid("extents", "\(what): address \(hex(extent.address)) is not a multiple of the page size \(extent.pageSize.name)")
            }
            guard extent.length % extent.pageSize.bytes == 0 else {
                throw .invalid("extents", "\(what): length \(extent.length) is not a multiple of the page size \(extent.pageSize.name)")
            }
            let (end, overflow) = extent.address.addingReportingOverflow(UInt64(extent.length))
            guard !overflow, end <= 1 << 57 else { throw .invalid("extents", "\(what): ends beyond the 57-bit address space") }
            if let last = merged.last {
                guard extent.address >= last.end else {
                    throw .invalid("extents", "\(what): overlaps or precedes the extent before it (which ends at \(hex(last.end)))")
                }
                if last.end == extent.address, last.pageSize == extent.pageSize {
                    merged[merged.count - 1].length += extent.length
                    continue
                }
            }
            merged.append(extent)
        }
        self.extents = merged
        bytes = merged.reduce(0) { $0 + $1.length }
    }

    /// Extents of the given lengths and page sizes laid out in order from `base`, each starting at
    /// the next multiple of its page size: how a script describes memory it has not mapped.
    public static func laidOut(_ parts: [(length: Int, pageSize: TLBPageSize)], from base: UInt64) throws(PageError) -> TLBFootprint {
        var extents: [TLBExtent] = []
        var next = base
        for part in parts {
            let pageBytes = UInt64(part.pageSize.bytes)
            let (aligned, overflow) = next.addingReportingOverflow(pageBytes - 1)
            guard !overflow, part.length >= 0 else {
                throw .invalid("extents", "extent of \(part.length) bytes does not fit in the address space")
            }
            let address = aligned / pageBytes * pageBytes
            extents.append(TLBExtent(address: address, length: part.length, pageSize: part.pageSize))
            let (end, endOverflow) = address.addingReportingOverflow(UInt64(part.length))
            guard !endOverflow else { throw .invalid("extents", "extent of \(part.length) bytes does not fit in the address space") }
            next = end
        }
        return try TLBFootprint(extents)
    }

    /// Bytes mapped with each page size.
    public func bytes(in size: TLBPageSize) -> Int {
        extents.filter { $0.pageSize == size }.reduce(0) { $0 + $1.length }
    }

    /// The highest address it covers, exclusive.
    public var end: UInt64 { extents[extents.count - 1].end }
}

/// Offsets of a footprint to addresses and page sizes, for the simulation loop. With several
/// extents, a table over the footprint cut into equal chunks gives the extent where each chunk
/// starts, and a step or two forward finds the one holding the offset: unlike a binary search,
/// whose branches random offsets mispredict, that loop almost never runs. The chunks are as large
/// as the extents' boundaries allow (boundaries at multiples of 512 MiB make chunks of 512 MiB, a
/// table of a few entries that stays in the L1 cache, and the loop never runs), and at most 2^16.
struct FootprintMap {
    /// Starting offset of each extent, then UInt64.max.
    private let offsets: [UInt64]
    private let addresses: [UInt64]
    private let sizes: [Int]
    private let chunkShift: UInt64
    private let firstExtent: [UInt32]
    private let single: Bool
    private let firstAddress: UInt64
    private let firstSize: Int

    init(_ footprint: TLBFootprint) {
        var start: UInt64 = 0
        let offsets: [UInt64] = footprint.extents.map { extent in
            defer { start += UInt64(extent.length) }
            return start
        } + [UInt64.max]
        self.offsets = offsets
        addresses = footprint.extents.map(\.address)
        sizes = footprint.extents.map(\.pageSize.rawValue)
        single = footprint.extents.count == 1
        firstAddress = addresses[0]
        firstSize = sizes[0]
        let bytes = UInt64(footprint.bytes)
        let boundaryAlignment = offsets.dropFirst().dropLast().map { UInt64($0.trailingZeroBitCount) }.min() ?? 63
        var shift = max(12, min(boundaryAlignment, 63))
        while bytes &>> shift > 1 << 16 { shift += 1 }
        chunkShift = shift
        var extent = 0
        firstExtent = (0...(bytes - 1) >> shift).map { chunk in
            while offsets[extent + 1] <= chunk << shift { extent += 1 }
            return UInt32(extent)
        }
    }

    /// The address at `offset` (below the footprint's length) and the raw value of its page size.
    @inline(__always)
    func locate(_ offset: UInt64) -> (address: UInt64, size: Int) {
        if single { return (firstAddress &+ offset, firstSize) }
        return offsets.withUnsafeBufferPointer { offsets in
            var index = firstExtent.withUnsafeBufferPointer { Int($0[Int(truncatingIfNeeded: offset &>> chunkShift)]) }
            while offsets[index &+ 1] <= offset { index &+= 1 }
            return (addresses.withUnsafeBufferPointer { $0[index] } &+ (offset &- offsets[index]),
                    sizes.withUnsafeBufferPointer { $0[index] })
        }
    }
}
