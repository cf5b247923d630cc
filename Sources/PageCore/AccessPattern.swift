/// The order in which a simulated program touches its footprint. Patterns address items (an
/// object, a cache line) laid end to end over the footprint's offsets; the page an access lands
/// on is what the TLB sees.
public enum AccessPattern: Sendable, Equatable {
    /// From offset 0 upwards, one access every `stride` bytes, wrapping around at the end: a
    /// scan (stride 64, a cache line) or a strided walk (stride of a page or more).
    case sequential(stride: Int)
    /// Items of `item` bytes drawn uniformly at random, with replacement.
    case uniformRandom(item: Int)
    /// Items drawn with Zipf's law: the k-th most popular with probability ∝ k^-exponent
    /// (0.99 is YCSB's default). Popular items are scattered over the footprint.
    case zipf(item: Int, exponent: Double)
    /// A linked list through every item in a random order, followed round and round: each lap
    /// visits every item once, in the same order.
    case pointerChase(item: Int)

    /// The pattern's name as scripts write it.
    public var name: String {
        switch self {
        case .sequential: "sequential"
        case .uniformRandom: "random"
        case .zipf: "zipf"
        case .pointerChase: "chase"
        }
    }

    /// The access granule: the stride or the item size.
    var granule: Int {
        switch self {
        case .sequential(let stride): stride
        case .uniformRandom(let item), .zipf(let item, _), .pointerChase(let item): item
        }
    }

    func validate(footprint: TLBFootprint) throws(PageError) {
        let parameter = if case .sequential = self { "stride" } else { "item" }
        guard granule > 0, granule <= footprint.bytes else {
            throw .invalid(parameter, "\(parameter) \(granule) is not between 1 and the footprint (\(footprint.bytes) bytes)")
        }
        if case .zipf(let item, let exponent) = self {
            guard exponent > 0, exponent.isFinite else {
                throw .invalid("exponent", "Zipf exponent \(exponent) is not a positive number")
            }
            guard footprint.bytes / item <= Int(UInt32.max) else {
                throw .invalid("item", "item \(item) makes \(footprint.bytes / item) items, more than the \(UInt32.max) a Zipf pattern can rank")
            }
        }
    }

    /// Builds the offset stream of this pattern over `footprint` and hands it to `consumer`.
    func drive<Consumer: OffsetConsumer>(over footprint: TLBFootprint, seed: UInt64, _ consumer: inout Consumer) throws(PageError) {
        let bytes = UInt64(footprint.bytes)
        let items = bytes / UInt64(granule)
        switch self {
        case .sequential(let stride):
            var stream = StridedStream(stride: UInt64(stride), footprint: bytes)
            try consumer.consume(&stream)
        case .uniformRandom(let item):
            var stream = UniformStream(random: SplitMix64(seed: seed), items: items, item: UInt64(item))
            try consumer.consume(&stream)
        case .zipf(let item, let exponent):
            var stream = ZipfStream(random: SplitMix64(seed: seed), table: ZipfTable(count: items, exponent: exponent),
                                    placement: ItemPermutation(count: items, seed: seed), item: UInt64(item))
            try consumer.consume(&stream)
        case .pointerChase(let item):
            var stream = ChaseStream(order: ItemPermutation(count: items, seed: seed), item: UInt64(item))
            try consumer.consume(&stream)
        }
    }
}

/// Offsets into a footprint, one per access.
protocol OffsetStream {
    mutating func next() -> UInt64
}

/// What runs a pattern: the TLB simulation, or the bare stream that `scripts/bench` sets it against.
protocol OffsetConsumer {
    mutating func consume<Stream: OffsetStream>(_ stream: inout Stream) throws(PageError)
}

struct StridedStream: OffsetStream {
    let stride: UInt64
    let footprint: UInt64
    private var offset: UInt64 = 0

    init(stride: UInt64, footprint: UInt64) {
        self.stride = stride
        self.footprint = footprint
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let current = offset
        offset &+= stride
        if offset >= footprint { offset &-= footprint }
        return current
    }
}

struct UniformStream: OffsetStream {
    var random: SplitMix64
    let items: UInt64
    let item: UInt64

    @inline(__always)
    mutating func next() -> UInt64 {
        random.next(below: items) &* item
    }
}

struct ZipfStream: OffsetStream {
    private var random: SplitMix64
    private let table: ZipfTable
    private let placement: ItemPermutation
    private let item: UInt64
    /// The random bits of the following access, drawn a step early so that their entry of the
    /// 256 KiB table is fetched into the cache while this access is simulated.
    private var following: UInt64

    init(random: SplitMix64, table: ZipfTable, placement: ItemPermutation, item: UInt64) {
        self.random = random
        self.table = table
        self.placement = placement
        self.item = item
        following = self.random.next()
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let bits = following
        following = random.next()
        table.prefetch(following)
        return placement(table.rank(bits)) &* item
    }
}

struct ChaseStream: OffsetStream {
    let order: ItemPermutation
    let item: UInt64
    private var position: UInt64 = 0

    init(order: ItemPermutation, item: UInt64) {
        self.order = order
        self.item = item
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let current = order(position)
        position &+= 1
        if position == order.count { position = 0 }
        return current &* item
    }
}
