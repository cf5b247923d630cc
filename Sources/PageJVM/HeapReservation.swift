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
    func reserveHeap() throws -> HeapReservation {
        let placement = HeapPlacement(configuration: configuration)
        for attempt in placement.attempts {
            let prefix = attempt.withPrefix ? placement.noAccessPrefix : 0
            // A taken attach point sends HotSpot on to the next one.
            guard let region = try reserveHeapRegion(size: placement.size + prefix, at: attempt.address) else { continue }
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

    /// The heap's reservation at `address` (anywhere if nil); nil if that address is taken.
    private func reserveHeapRegion(size: Int, at address: UInt?) throws -> Region? {
        let result = Result { () throws(PageError) in
            try reserveRegion("Java Heap", size: size, at: address, align: configuration.heapAlignment)
        }
        switch result {
        case .success(let region):
            return region
        case .failure(let error) where address != nil && error.kind == .invalidArgument(parameter: "at"):
            return nil
        case .failure where address == nil:
            let unit = configuration.jdk == .v25 ? " KB" : "KB"
            throw JVMError("Could not reserve enough space for \(size / 1024)\(unit) object heap", stage: .initialization)
        case .failure(let error):
            throw error
        }
    }
}
