/// Where HotSpot tries to put a compressed-oops heap, in order, and what the address it gets
/// means for oop encoding: `ReservedHeapSpace::initialize_compressed_heap` and
/// `CompressedOops::initialize` (`memory/virtualspace.cpp`, `oops/compressedOops.cpp`;
/// `docs/hotspot.md` §2.2). Each attempt is an exact reservation that either lands at its address
/// or fails; the first that lands wins, and the last resort is anywhere.
struct HeapPlacement {
    struct Attempt: Equatable {
        /// nil: wherever the kernel likes.
        let address: UInt?
        /// Whether a no-access prefix precedes the heap in this reservation.
        let withPrefix: Bool
    }

    static let unscaledOopHeapMax: UInt = 4 << 30
    /// `HeapSearchSteps`.
    static let searchSteps: UInt = 3

    let size: Int
    let alignment: Int
    let noAccessPrefix: Int
    let oopEncodingHeapMax: UInt
    let attempts: [Attempt]

    init(configuration: JVMConfiguration) {
        let arguments = configuration.arguments
        size = configuration.maxHeapSize
        alignment = configuration.heapAlignment
        let pageSize = configuration.machine.pageSize
        // lcm(page size, alignment): both are powers of two.
        noAccessPrefix = max(pageSize, alignment)
        let oopEncodingHeapMax = Self.unscaledOopHeapMax << UInt(configuration.objectAlignment.trailingZeroBitCount)
        self.oopEncodingHeapMax = oopEncodingHeapMax
        guard configuration.useCompressedOops else {
            attempts = [Attempt(address: nil, withPrefix: false)]
            return
        }
        let size = UInt(size), step = UInt(alignment)
        let baseMin = JVMConfiguration.alignUp(arguments.integer("HeapBaseMinAddress"), alignment)
        let minimum = UInt(baseMin)
        var attempts: [Attempt] = []
        if arguments.isExplicit("HeapBaseMinAddress") {
            attempts.append(Attempt(address: minimum, withPrefix: minimum + size > oopEncodingHeapMax))
        }
        // Unscaled: the whole heap below 4 GiB.
        if minimum + size <= Self.unscaledOopHeapMax {
            let highest = (Self.unscaledOopHeapMax - size) / step * step
            attempts += Self.range(from: highest, downTo: minimum, step: step)
        }
        // Zero based: below 32 GiB, leaving room for the class space when there is no CDS archive.
        var zeroBasedMax = oopEncodingHeapMax
        let classSpace = UInt(JVMConfiguration.alignUp(configuration.compressedClassSpaceSize, alignment))
        let klassEncodingMax: UInt = 32 << 30
        // JDK 25 places the class space low instead (observed: the heap still ends at 32 GiB).
        if configuration.jdk != .v25, configuration.useCompressedClassPointers, !configuration.useSharedSpaces,
           oopEncodingHeapMax <= klassEncodingMax, minimum + size + classSpace <= klassEncodingMax {
            zeroBasedMax = oopEncodingHeapMax - classSpace
        }
        if minimum + size <= zeroBasedMax {
            let highest = (zeroBasedMax - size) / step * step
            var lowest = minimum
            if size < Self.unscaledOopHeapMax { lowest = max(lowest, Self.unscaledOopHeapMax - size) }
            lowest = (lowest + step - 1) / step * step
            attempts += Self.range(from: highest, downTo: lowest, step: step)
        }
        // Disjoint base: bases aligned to the encoding range, above the minimum address.
        let thirtyTwoG: UInt = 32 << 30, sixtyFourK: UInt = 64 << 10
        let disjoint: [UInt] = [2, 3, 4, 8, 10].map { $0 * thirtyTwoG }
            + [1, 2, 3, 4, 16, 32, 34].map { $0 * sixtyFourK * thirtyTwoG }
        attempts += disjoint.filter { $0 >= oopEncodingHeapMax && $0 >= minimum }.map { Attempt(address: $0, withPrefix: true) }
        attempts.append(Attempt(address: nil, withPrefix: true))
        self.attempts = attempts
    }

    /// `try_reserve_range`: at most `HeapSearchSteps` attach points from `highest` down.
    private static func range(from highest: UInt, downTo lowest: UInt, step alignment: UInt) -> [Attempt] {
        guard highest >= lowest else { return [] }
        let span = highest - lowest
        let tries = min(searchSteps, span / alignment + 1)
        let step = span == 0 ? highest : (span / tries + alignment - 1) / alignment * alignment
        var result: [Attempt] = []
        var point = highest
        while point >= lowest, point <= highest {
            result.append(Attempt(address: point, withPrefix: false))
            guard point >= step else { break }
            point -= step
        }
        return result
    }

    /// Oop encoding for a heap that landed at `base` (after any prefix).
    func encoding(heapBase base: UInt, prefix: Int, objectAlignment: Int) -> (mode: CompressedOopsMode, shift: Int, narrowBase: UInt) {
        let end = base + UInt(size)
        let shift = end > Self.unscaledOopHeapMax ? objectAlignment.trailingZeroBitCount : 0
        let narrowBase: UInt = end <= oopEncodingHeapMax ? 0 : base - UInt(prefix)
        let mode: CompressedOopsMode
        if narrowBase == 0 {
            mode = shift == 0 ? .unscaled : .zeroBased
        } else {
            mode = narrowBase & (oopEncodingHeapMax - 1) == 0 ? .disjointBase : .heapBased
        }
        return (mode, shift, narrowBase)
    }
}
