import PageCore

/// The Java heap's reservation and how compressed oops encode it (`CompressedOops::print_mode`).
public struct HeapReservation {
    public let region: Region
    /// Where the heap starts, after any no-access prefix.
    public let base: UInt
    public let size: Int
    /// Bytes of PROT_NONE in front of the heap that make a decoded null fault
    /// (`establish_noaccess_prefix`); 0 for unscaled and zero-based heaps.
    public let noAccessPrefix: Int
    public let mode: CompressedOopsMode
    public let shift: Int
    /// The narrow-oop base (0 unless the mode is disjoint or heap based).
    public let narrowBase: UInt

    /// The heap's offset inside its region.
    var offset: Int { noAccessPrefix }

    /// `-Xlog:gc+heap+coops=debug`'s line.
    var coopsLine: String {
        var line = "Heap address: \(JVM.pointer(base)), size: \(size >> 20) MB, Compressed Oops mode: \(mode.rawValue)"
        if narrowBase != 0 { line += ": \(JVM.pointer(narrowBase))" }
        if shift != 0 { line += ", Oop shift amount: \(shift)" }
        return line
    }
}

extension JVM {
    /// `Universe::reserve_heap`: the heap where `HeapPlacement` says, trying each address in turn.
    func reserveHeap() throws(PageError) -> HeapReservation {
        let placement = HeapPlacement(configuration: configuration)
        for attempt in placement.attempts {
            let prefix = attempt.withPrefix ? placement.noAccessPrefix : 0
            let region: Region
            do throws(PageError) {
                region = try reserveRegion("Java Heap", size: placement.size + prefix, at: attempt.address,
                                           align: configuration.heapAlignment)
            } catch where error.kind == .invalidArgument(parameter: "at") && attempt.address != nil {
                continue  // Taken: HotSpot moves on to its next attach point.
            }
            let base = region.base + UInt(prefix)
            let encoding = configuration.useCompressedOops
                ? placement.encoding(heapBase: base, prefix: prefix, objectAlignment: configuration.objectAlignment)
                : (mode: CompressedOopsMode.disabled, shift: 0, narrowBase: 0)
            if prefix > 0 {
                record(JVMArea(name: "Java Heap no-access prefix", category: .javaHeap, region: region, offset: 0,
                               length: prefix, pageSize: pageSize))
            }
            record(JVMArea(name: "Java Heap", category: .javaHeap, region: region, offset: prefix,
                           length: placement.size, pageSize: configuration.pages.heapPageSize))
            return HeapReservation(region: region, base: base, size: placement.size, noAccessPrefix: prefix,
                                   mode: encoding.mode, shift: encoding.shift, narrowBase: encoding.narrowBase)
        }
        preconditionFailure("HeapPlacement always ends with an attempt anywhere")
    }
}
