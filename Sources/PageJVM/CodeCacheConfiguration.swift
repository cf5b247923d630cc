/// The code cache after `CompilerConfig::set_compilation_policy_flags` and
/// `CodeCache::initialize_heaps` (`docs/hotspot.md` §4): 240 MiB and segmented with tiered
/// compilation, 48 MiB in one heap without.
public struct CodeCacheConfiguration: Sendable {
    public struct Heap: Sendable {
        /// As `-Xlog:pagesize` names it: "non-nmethods", "profiled nmethods", "non-profiled nmethods" or "CodeCache".
        public let name: String
        public let size: Int
    }

    public let reservedSize: Int
    public let segmented: Bool
    /// The code heaps from low to high addresses: since JDK-8280872 (17.0.15, 21) profiled,
    /// non-nmethods, non-profiled.
    public let heaps: [Heap]
    public let initialSize: Int
    public let expansionSize: Int
    /// One byte of segment map per segment.
    public let segmentSize: Int

    /// C1's scratch buffer (`Compiler::code_buffer_size()`: NMethodSizeLimit 512K plus a tenth for
    /// constants) and C2's (`C2Compiler::initial_code_buffer_size()`).
    static let c1BufferSize = 524_288 + 52_428
    static let c2BufferSize = 6_592

    /// The page size of the code heaps: the large page size with THP (`page_size=2M`).
    public let pageSize: Int

    init(_ arguments: JVMArguments, c1: Int, c2: Int, pageSize: Int) throws(JVMError) {
        self.pageSize = pageSize
        let M = 1 << 20
        let tiered = c1 > 0 && c2 > 0
        var reserved = arguments.integer("ReservedCodeCacheSize")
        if tiered, !arguments.isExplicit("ReservedCodeCacheSize") {
            reserved = min(2048 * M, reserved * 5)
        }
        let segmented = arguments.isExplicit("SegmentedCodeCache")
            ? arguments.bool("SegmentedCodeCache")
            : tiered && reserved >= 240 * M
        if reserved < 2496 * 1024 {
            throw JVMError("Invalid ReservedCodeCacheSize=\(reserved / 1024)K. Must be at least \(2496)K.", stage: .initialization)
        }
        reservedSize = reserved
        self.segmented = segmented
        initialSize = arguments.integer("InitialCodeCacheSize")
        expansionSize = arguments.integer("CodeCacheExpansionSize")
        segmentSize = arguments.integer("CodeCacheSegmentSize")
        guard segmented else {
            heaps = [Heap(name: "CodeCache", size: JVMConfiguration.alignUp(reserved, pageSize))]
            return
        }
        let nonNMethodRaw = arguments.isExplicit("NonNMethodCodeHeapSize")
            ? arguments.integer("NonNMethodCodeHeapSize")
            : arguments.integer("NonNMethodCodeHeapSize") + c1 * Self.c1BufferSize + c2 * Self.c2BufferSize
        let profiledRaw = (reserved - nonNMethodRaw) / 2
        let nonNMethod: Int, profiled: Int, nonProfiled: Int
        if arguments.jdk == .v25 {
            // JDK 25 aligns every heap up, so the cache is a page larger than the flag says.
            nonNMethod = JVMConfiguration.alignUp(nonNMethodRaw, pageSize)
            profiled = JVMConfiguration.alignUp(profiledRaw, pageSize)
            nonProfiled = JVMConfiguration.alignUp(reserved - nonNMethodRaw - profiledRaw, pageSize)
        } else {
            nonNMethod = JVMConfiguration.alignUp(nonNMethodRaw, pageSize)
            profiled = JVMConfiguration.alignDown(profiledRaw, pageSize)
            nonProfiled = reserved - nonNMethod - profiled
        }
        heaps = [Heap(name: "profiled nmethods", size: profiled), Heap(name: "non-nmethods", size: nonNMethod),
                 Heap(name: "non-profiled nmethods", size: nonProfiled)]
    }
}
