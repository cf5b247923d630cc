/// The `-XX` flags the models read, with HotSpot's types, defaults and ranges
/// (`runtime/globals.hpp`, `gc/shared/gc_globals.hpp`, `gc/g1/g1_globals.hpp`,
/// `os/linux/globals_linux.hpp`, `cpu/x86/c2_globals_x86.hpp`). A flag absent here is
/// "Unrecognized" to the model even if HotSpot knows it: better to refuse than to ignore a flag
/// that would change the layout. Flags that cannot change memory layout are accepted and ignored
/// (`JVMFlagSpec.ignored`).
enum JVMFlagTable {
    static let K = 1 << 10, M = 1 << 20, G = 1 << 30

    static let all: [JVMFlagSpec] = [
        // Collector selection (gc/shared/gc_globals.hpp).
        .bool("UseG1GC", false), .bool("UseParallelGC", false), .bool("UseSerialGC", false),
        .bool("UseZGC", false), .bool("ZGenerational", false, since: .v21),
        // Heap sizing.
        // Defaults of ScaleForWordSize(96M), (1M) and (4M): x * 13 / 10 aligned down to 8.
        .size("MaxHeapSize", 130_862_280), .size("InitialHeapSize", 0), .size("MinHeapSize", 0),
        .size("NewSize", 1_363_144), .size("MaxNewSize", 0), .size("OldSize", 5_452_592),
        .uintx("NewRatio", 2), .uintx("SurvivorRatio", 8),
        .size("MaxRAM", 128 * G),
        .double("MaxRAMPercentage", 25, range: 0...100), .double("MinRAMPercentage", 50, range: 0...100),
        .double("InitialRAMPercentage", 1.5625, range: 0...100),
        .uintx("MinHeapFreeRatio", 40, range: 0...100), .uintx("MaxHeapFreeRatio", 70, range: 0...100),
        .size("HeapBaseMinAddress", 2 * G),
        .intx("ObjectAlignmentInBytes", 8, range: 8...256, powerOfTwo: true),
        .bool("UseCompressedOops", true), .bool("UseCompressedClassPointers", true),
        .bool("UseCompactObjectHeaders", false, since: .v25),
        .size("CompressedClassSpaceSize", 1 * G, range: 1 * M...3 * G),
        .bool("AlwaysPreTouch", false), .size("PreTouchParallelChunkSize", 4 * M, range: 4 * K...1 * G),
        // G1 (gc/g1/g1_globals.hpp); the range of G1HeapRegionSize is checked by ergonomics.
        .size("G1HeapRegionSize", 0), .uintx("G1ReservePercent", 10, range: 0...50),
        .size("MarkStackSize", 4 * M), .size("MarkStackSizeMax", 512 * M),
        .uintx("GCCardSizeInBytes", 512, range: 128...1024, powerOfTwo: true, since: .v21),
        .uintx("ParallelGCThreads", 0), .uintx("ConcGCThreads", 0),
        .bool("UseAdaptiveSizePolicy", true),
        // Page sizes and NUMA (os/linux/globals_linux.hpp).
        .bool("UseLargePages", false), .bool("UseTransparentHugePages", false),
        .bool("UseHugeTLBFS", false, until: .v21), .bool("UseSHM", false, until: .v21),
        .size("LargePageSizeInBytes", 0),
        .bool("UseNUMA", false), .bool("UseNUMAInterleaving", false),
        // Code cache (cpu/x86/c2_globals_x86.hpp, code/codeCache.cpp).
        .size("ReservedCodeCacheSize", 48 * M, range: 0...2 * G), .size("InitialCodeCacheSize", 2496 * K),
        .size("CodeCacheExpansionSize", 64 * K), .bool("SegmentedCodeCache", false),
        .size("NonNMethodCodeHeapSize", 5 * M), .size("ProfiledCodeHeapSize", 22 * M),
        .size("NonProfiledCodeHeapSize", 21 * M), .uintx("CodeCacheSegmentSize", 128),
        .bool("TieredCompilation", true), .intx("TieredStopAtLevel", 4, range: 0...4),
        .intx("CICompilerCount", 0), .bool("CICompilerCountPerCPU", true),
        // Metaspace (runtime/globals.hpp).
        .size("MetaspaceSize", 21 * M), .size("MaxMetaspaceSize", Int.max),
        .ccstr("MetaspaceReclaimPolicy", "balanced", choices: ["balanced", "aggressive", "none"], until: .v17),
        // Threads and stacks (os_cpu/linux_x86/globals_linux_x86.hpp), in KiB as HotSpot keeps them.
        .intx("ThreadStackSize", 1024, range: 0...1 * M), .intx("VMThreadStackSize", 1024, range: 0...1 * M),
        .intx("CompilerThreadStackSize", 1024, range: 0...1 * M),
        // CDS.
        .bool("UseSharedSpaces", true), .intx("ArchiveRelocationMode", 1, range: 0...2),
        .size("SharedBaseAddress", 32 * G),
        // Processors.
        .intx("ActiveProcessorCount", -1),
        // Flags that change nothing the models show.
        .ignored("UnlockDiagnosticVMOptions"), .ignored("UnlockExperimentalVMOptions"),
        .ignored("NativeMemoryTracking"), .ignored("PrintNMTStatistics"), .ignored("PrintFlagsFinal"),
        .ignored("PrintGCDetails"), .ignored("UseStringDeduplication"), .ignored("ExitOnOutOfMemoryError"),
        .ignored("HeapDumpOnOutOfMemoryError"), .ignored("DisableExplicitGC"), .ignored("MaxGCPauseMillis"),
    ]

    static let byName: [String: JVMFlagSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}

/// One `-XX` flag: its HotSpot type, its default, its range, and the releases that have it.
struct JVMFlagSpec: Sendable {
    enum Kind: Sendable {
        case bool
        /// `size_t` and `uintx`: non-negative, with an optional k/m/g/t suffix.
        case size
        case uintx
        /// `intx`: may be negative (only `ActiveProcessorCount` uses that).
        case intx
        case double
        case ccstr(choices: [String])
        /// Accepted in any form and ignored.
        case ignored
    }

    let name: String
    let kind: Kind
    let defaultValue: JVMFlagValue
    let range: ClosedRange<Double>?
    let powerOfTwo: Bool
    let releases: ClosedRange<Int>

    /// HotSpot's name of the type, as its range messages print it.
    var typeName: String {
        switch kind {
        case .bool: "bool"
        case .size: "size_t"
        case .uintx: "uintx"
        case .intx: "intx"
        case .double: "double"
        case .ccstr, .ignored: "ccstr"
        }
    }

    func exists(in jdk: JDK) -> Bool { releases.contains(jdk.rawValue) }

    private static func releases(since: JDK, until: JDK) -> ClosedRange<Int> { since.rawValue...until.rawValue }

    static func bool(_ name: String, _ value: Bool, since: JDK = .v17, until: JDK = .v25) -> Self {
        Self(name: name, kind: .bool, defaultValue: .bool(value), range: nil, powerOfTwo: false, releases: releases(since: since, until: until))
    }
    static func size(_ name: String, _ value: Int, range: ClosedRange<Int>? = nil) -> Self {
        Self(name: name, kind: .size, defaultValue: .integer(value), range: range.map { Double($0.lowerBound)...Double($0.upperBound) },
             powerOfTwo: false, releases: 17...25)
    }
    static func uintx(_ name: String, _ value: Int, range: ClosedRange<Int>? = nil, powerOfTwo: Bool = false, since: JDK = .v17) -> Self {
        Self(name: name, kind: .uintx, defaultValue: .integer(value), range: range.map { Double($0.lowerBound)...Double($0.upperBound) },
             powerOfTwo: powerOfTwo, releases: releases(since: since, until: .v25))
    }
    static func intx(_ name: String, _ value: Int, range: ClosedRange<Int>? = nil, powerOfTwo: Bool = false) -> Self {
        Self(name: name, kind: .intx, defaultValue: .integer(value), range: range.map { Double($0.lowerBound)...Double($0.upperBound) },
             powerOfTwo: powerOfTwo, releases: 17...25)
    }
    static func double(_ name: String, _ value: Double, range: ClosedRange<Double>) -> Self {
        Self(name: name, kind: .double, defaultValue: .double(value), range: range, powerOfTwo: false, releases: 17...25)
    }
    static func ccstr(_ name: String, _ value: String, choices: [String], until: JDK) -> Self {
        Self(name: name, kind: .ccstr(choices: choices), defaultValue: .string(value), range: nil, powerOfTwo: false,
             releases: releases(since: .v17, until: until))
    }
    static func ignored(_ name: String) -> Self {
        Self(name: name, kind: .ignored, defaultValue: .string(""), range: nil, powerOfTwo: false, releases: 17...25)
    }
}

/// A flag's value.
public enum JVMFlagValue: Sendable, Equatable, CustomStringConvertible {
    case bool(Bool)
    case integer(Int)
    case double(Double)
    case string(String)

    public var description: String {
        switch self {
        case .bool(let value): String(value)
        case .integer(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): value
        }
    }
}
