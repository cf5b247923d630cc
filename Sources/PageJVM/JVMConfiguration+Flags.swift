extension JVMConfiguration {
    /// The flags as `-XX:+PrintFlagsFinal` would print them after ergonomics, for the ones the
    /// models decide.
    public var effectiveFlags: [(name: String, value: JVMFlagValue)] {
        let codeHeap = { (name: String) in codeCache.heaps.first { $0.name == name }?.size ?? 0 }
        var flags: [(String, JVMFlagValue)] = [
            ("Use\(collector.rawValue)GC", .bool(true)),
            ("MaxHeapSize", .integer(maxHeapSize)), ("InitialHeapSize", .integer(initialHeapSize)),
            ("MinHeapSize", .integer(minHeapSize)), ("G1HeapRegionSize", .integer(regionSize)),
            ("HeapAlignment", .integer(heapAlignment)), ("SpaceAlignment", .integer(spaceAlignment)),
            ("NewSize", .integer(newSize)), ("MaxNewSize", .integer(maxNewSize)),
            ("UseCompressedOops", .bool(useCompressedOops)), ("UseCompressedClassPointers", .bool(useCompressedClassPointers)),
            ("ObjectAlignmentInBytes", .integer(objectAlignment)), ("CompressedClassSpaceSize", .integer(compressedClassSpaceSize)),
            ("UseSharedSpaces", .bool(useSharedSpaces)),
            ("ParallelGCThreads", .integer(parallelGCThreads)), ("ConcGCThreads", .integer(concGCThreads)),
            ("CICompilerCount", .integer(c1Compilers + c2Compilers)),
            ("ReservedCodeCacheSize", .integer(codeCache.reservedSize)), ("SegmentedCodeCache", .bool(codeCache.segmented)),
            ("NonNMethodCodeHeapSize", .integer(codeHeap("non-nmethods"))),
            ("ProfiledCodeHeapSize", .integer(codeHeap("profiled nmethods"))),
            ("NonProfiledCodeHeapSize", .integer(codeHeap("non-profiled nmethods"))),
            ("MetaspaceSize", .integer(metaspace.metaspaceSize)),
            // Unlimited is max_uintx, which does not fit an Int.
            ("MaxMetaspaceSize", metaspace.maxMetaspaceSize.map { .integer($0) } ?? .string(String(UInt.max))),
            ("ThreadStackSize", .integer(stacks.javaThread / 1024)),
            ("UseLargePages", .bool(pages.kind != .small)), ("UseTransparentHugePages", .bool(pages.kind == .transparent)),
            ("AlwaysPreTouch", .bool(alwaysPreTouch)), ("UseNUMA", .bool(useNUMA)),
        ]
        if jdk.hasCardSizeFlag { flags.append(("GCCardSizeInBytes", .integer(cardSize))) }
        return flags
    }
}
