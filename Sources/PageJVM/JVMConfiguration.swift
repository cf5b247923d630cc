/// Every setting the layout depends on, after HotSpot's ergonomics: the values `-XX:+PrintFlagsFinal`
/// would show, computed as `Arguments::apply_ergo`, `Arguments::set_heap_size`,
/// `GCArguments::initialize_heap_flags_and_sizes`, `HeapRegion::setup_heap_region_size`,
/// `CompilationPolicy::initialize` and `CodeCache::initialize_heaps` compute them
/// (`docs/hotspot.md` §0–§4, §9).
public struct JVMConfiguration: Sendable {
    public let jdk: JDK
    public let machine: JVMMachine
    public let arguments: JVMArguments
    public let collector: Collector

    public let maxHeapSize: Int
    public let initialHeapSize: Int
    public let minHeapSize: Int
    /// G1's region size; 0 for the other collectors.
    public let regionSize: Int
    /// The unit of heap reservation and sizing (`HeapAlignment`).
    public let heapAlignment: Int
    /// The unit of generation and space sizing (`SpaceAlignment`).
    public let spaceAlignment: Int
    public let cardSize: Int

    public let useCompressedOops: Bool
    public let objectAlignment: Int
    public let useCompressedClassPointers: Bool
    /// The class space, aligned up to the metaspace root chunk; 0 without compressed class pointers.
    public let compressedClassSpaceSize: Int
    /// CDS: whether the default archive is mapped.
    public let useSharedSpaces: Bool

    public let parallelGCThreads: Int
    public let concGCThreads: Int
    public let c1Compilers: Int
    public let c2Compilers: Int

    public let codeCache: CodeCacheConfiguration
    public let metaspace: MetaspaceSettings
    public let stacks: StackConfiguration
    public let pages: PageConfiguration

    public let alwaysPreTouch: Bool
    /// NUMA after `os::Linux::numa_init`: off on a single node.
    public let useNUMA: Bool
    public let newSize: Int
    public let maxNewSize: Int
    /// Warnings the JVM prints while starting, in its words.
    public let warnings: [String]

    static let K = 1 << 10, M = 1 << 20, G = 1 << 30

    public init(_ arguments: JVMArguments, machine: JVMMachine) throws(JVMError) {
        let jdk = arguments.jdk
        self.jdk = jdk
        self.arguments = arguments
        var warnings: [String] = []
        // -XX:ActiveProcessorCount replaces what the machine reports, for every decision.
        let cpus = arguments.integer("ActiveProcessorCount") > 0 ? arguments.integer("ActiveProcessorCount") : machine.cpus
        var machine = machine
        machine.cpus = cpus
        self.machine = machine
        collector = try Collector.select(arguments, machine: machine)

        objectAlignment = arguments.integer("ObjectAlignmentInBytes")
        cardSize = jdk.hasCardSizeFlag ? arguments.integer("GCCardSizeInBytes") : 512
        pages = try PageConfiguration(arguments, machine: machine, warnings: &warnings)

        // Compressed oops: on unless the heap cannot be addressed (Arguments::set_use_compressed_oops).
        let oopEncodingHeapMax = (4 * Self.G) << objectAlignment.trailingZeroBitCount
        // G1's conservative alignment is its largest region: 32 MiB in 17, 512 MiB in 21 (so
        // -Xmx32736m loses compressed oops there, JDK-8354145), 32 MiB again in 25 (observed).
        let conservativeAlignment = collector == .g1 ? (jdk == .v21 ? jdk.g1MaxRegionSize : 32 * Self.M) : 2 * Self.M
        let maxCoopHeap = oopEncodingHeapMax - Self.alignUp(machine.pageSize, conservativeAlignment)
        let heapSizes = try HeapSizing(arguments, machine: machine, maxCoopHeap: maxCoopHeap)
        var coops = arguments.bool("UseCompressedOops") && heapSizes.max <= maxCoopHeap
        if arguments.bool("UseCompressedOops") && !coops && arguments.isExplicit("UseCompressedOops") {
            warnings.append("Max heap size too large for Compressed Oops")
        }
        if collector == .z { coops = false }

        // Region size and alignments (G1Arguments::initialize_alignments, GenArguments, ZArguments).
        let regionSize = collector == .g1 ? try Self.g1RegionSize(arguments, maxHeap: heapSizes.max) : 0
        self.regionSize = regionSize
        let cardTableAlignment = cardSize * machine.pageSize
        spaceAlignment = collector == .g1 ? regionSize : (collector == .z ? 2 * Self.M : 64 * Self.K)
        heapAlignment = max(cardTableAlignment, spaceAlignment, pages.heapPageSize)

        // GCArguments::initialize_heap_flags_and_sizes.
        var maxHeap = heapSizes.max, initial = heapSizes.initial, minimum = heapSizes.minimum
        if arguments.isExplicit("MaxHeapSize"), arguments.isExplicit("InitialHeapSize"), initial > maxHeap {
            throw JVMError("Initial heap size set to a larger value than the maximum heap size", stage: .initialization)
        }
        if arguments.isExplicit("MaxHeapSize"), arguments.isExplicit("MinHeapSize"), maxHeap < minimum {
            throw JVMError("Incompatible minimum and maximum heap sizes specified", stage: .initialization)
        }
        if maxHeap < 2 * Self.M { throw JVMError("Too small maximum heap", stage: .initialization) }
        if initial < Self.M { throw JVMError("Too small initial heap", stage: .initialization) }
        if minimum < Self.M { throw JVMError("Too small minimum heap", stage: .initialization) }
        minimum = Self.alignUp(minimum, heapAlignment)
        initial = Self.alignUp(initial, heapAlignment)
        maxHeap = Self.alignUp(maxHeap, heapAlignment)
        if arguments.isExplicit("InitialHeapSize"), initial > maxHeap {
            maxHeap = initial
        } else if arguments.isExplicit("MaxHeapSize"), initial > maxHeap {
            initial = maxHeap
            minimum = min(minimum, initial)
        }
        maxHeapSize = maxHeap
        initialHeapSize = initial
        minHeapSize = minimum
        useCompressedOops = coops
        useCompressedClassPointers = arguments.bool("UseCompressedClassPointers")

        // Young generation of the generational collectors: NewRatio, unless -Xmn; Parallel sizes
        // generations in 512 KiB units (its compaction regions), Serial in 64 KiB.
        let generationAlignment = collector == .parallel ? 512 * Self.K : spaceAlignment
        maxNewSize = arguments.isExplicit("MaxNewSize")
            ? Self.alignDown(arguments.integer("MaxNewSize"), generationAlignment)
            : Self.alignDown(maxHeap / (arguments.integer("NewRatio") + 1), generationAlignment)
        newSize = arguments.isExplicit("NewSize")
            ? min(Self.alignDown(arguments.integer("NewSize"), generationAlignment), maxNewSize)
            : max(Self.alignDown(initial / (arguments.integer("NewRatio") + 1), generationAlignment), generationAlignment)

        // Worker threads (WorkerPolicy::nof_parallel_worker_threads(5, 8, 8); G1's ConcGCThreads).
        parallelGCThreads = arguments.isExplicit("ParallelGCThreads") && arguments.integer("ParallelGCThreads") > 0
            ? arguments.integer("ParallelGCThreads")
            : (cpus <= 8 ? cpus : 8 + (cpus - 8) * 5 / 8)
        concGCThreads = arguments.integer("ConcGCThreads") > 0
            ? arguments.integer("ConcGCThreads")
            : max((parallelGCThreads + 2) / 4, 1)

        let compilers = Self.compilerCounts(arguments, cpus: cpus)
        c1Compilers = compilers.c1
        c2Compilers = compilers.c2
        codeCache = try CodeCacheConfiguration(arguments, c1: compilers.c1, c2: compilers.c2,
                                               pageSize: pages.kind == .small ? machine.pageSize : pages.largePageSize)
        metaspace = MetaspaceSettings(jdk: jdk, arguments: arguments, classPointers: useCompressedClassPointers)
        compressedClassSpaceSize = useCompressedClassPointers ? Self.alignUp(metaspace.classSpaceSize, metaspace.rootChunkSize) : 0
        // The default archive was dumped with compressed class pointers and 8-byte alignment.
        useSharedSpaces = arguments.share != .off && arguments.bool("UseSharedSpaces")
            && useCompressedClassPointers && objectAlignment == 8
        stacks = StackConfiguration(arguments, pageSize: machine.pageSize)
        if stacks.javaThread < stacks.minimumJavaThread {
            throw JVMError("The Java thread stack size specified is too small. Specify at least \(stacks.minimumJavaThread / 1024)k",
                           stage: .threadCreation)
        }

        alwaysPreTouch = arguments.bool("AlwaysPreTouch")
        useNUMA = arguments.bool("UseNUMA") && machine.numaNodes > 1
        self.warnings = warnings + pages.warnings
    }

    /// `HeapRegion::setup_heap_region_size`: from MaxHeapSize only, rounded up to a power of two
    /// (17: max(heap/2048, 1M) rounded up then clamped to [1M, 32M]; 21: clamped to [1M, 32M]
    /// first, then rounded up and clamped to [1M, 512M]).
    static func g1RegionSize(_ arguments: JVMArguments, maxHeap: Int) throws(JVMError) -> Int {
        let jdk = arguments.jdk
        let requested = arguments.integer("G1HeapRegionSize")
        if arguments.isExplicit("G1HeapRegionSize"), requested < M {
            throw JVMError("G1HeapRegionSize (\(requested)) must be greater than or equal to ergonomic heap region minimum size", stage: .initialization)
        }
        var size = requested
        if size == 0 {
            size = jdk == .v17 ? max(maxHeap / 2048, M) : min(max(maxHeap / 2048, M), 32 * M)
        }
        size = roundUpPowerOfTwo(size)
        return min(max(size, M), jdk.g1MaxRegionSize)
    }

    /// `CompilationPolicy::initialize` with tiered compilation and `CICompilerCountPerCPU`:
    /// max(log2(cpus) * log2(log2(cpus)) * 3/2, 2) threads, a third of them C1.
    static func compilerCounts(_ arguments: JVMArguments, cpus: Int) -> (c1: Int, c2: Int) {
        if arguments.execution == .interpreted { return (0, 0) }
        let tiered = arguments.bool("TieredCompilation") && arguments.integer("TieredStopAtLevel") > 0
        var count = arguments.integer("CICompilerCount")
        if count <= 0 {
            let logCPU = log2(max(cpus, 1))
            let logLogCPU = log2(max(logCPU, 1))
            count = max(logCPU * logLogCPU * 3 / 2, 2)
        }
        guard tiered else { return (0, count) }
        if arguments.integer("TieredStopAtLevel") < 4 { return (count, 0) }
        let c1 = max(count / 3, 1)
        return (c1, max(count - c1, 1))
    }

    static func log2(_ value: Int) -> Int { Int.bitWidth - 1 - value.leadingZeroBitCount }
    static func alignUp(_ value: Int, _ alignment: Int) -> Int { (value + alignment - 1) / alignment * alignment }
    static func alignDown(_ value: Int, _ alignment: Int) -> Int { value / alignment * alignment }
    static func roundUpPowerOfTwo(_ value: Int) -> Int { value <= 1 ? 1 : 1 << (Int.bitWidth - (value - 1).leadingZeroBitCount) }
}
