import PageJVM
import XCTest

/// HotSpot's ergonomics on the machine the fixtures were recorded on (24105 MiB, 2 CPUs), checked
/// against what `-XX:+PrintFlagsFinal` printed there (Fixtures/jdk17/*.json, `final_flags`).
final class ConfigurationTests: XCTestCase {
    let machine = JVMMachine(ram: 25_276_514_304, cpus: 2)

    func configure(_ options: [String], jdk: JDK = .v17, machine: JVMMachine? = nil) throws -> JVMConfiguration {
        try JVMConfiguration(try JVMArguments(options, jdk: jdk), machine: machine ?? self.machine)
    }

    func testDefaultHeapIsAQuarterOfMemoryAlignedToTheRegion() throws {
        let configuration = try configure([])
        XCTAssertEqual(configuration.collector, .g1)
        XCTAssertEqual(configuration.maxHeapSize, 6_320_816_128)
        XCTAssertEqual(configuration.initialHeapSize, 398_458_880)
        XCTAssertEqual(configuration.minHeapSize, 8 << 20)
        XCTAssertEqual(configuration.regionSize, 4 << 20)
    }

    /// Region size from MaxHeapSize only, rounded up (hotspot.md §10 corrects the seeds' rule).
    func testRegionSizeRoundsUpFromTheMaximumHeap() throws {
        let expected: [(String, Int)] = [("-Xmx2g", 1), ("-Xmx3g", 2), ("-Xmx6g", 4), ("-Xmx8g", 4), ("-Xmx16g", 8), ("-Xmx40g", 32)]
        for (option, megabytes) in expected {
            XCTAssertEqual(try configure([option]).regionSize, megabytes << 20, option)
        }
        XCTAssertEqual(try configure(["-XX:G1HeapRegionSize=3m"]).regionSize, 4 << 20)
        XCTAssertEqual(try configure(["-XX:G1HeapRegionSize=64m", "-Xmx8g"], jdk: .v21).regionSize, 64 << 20)
    }

    func testCompressedOopsEndAtThirtyTwoGigabytesLessTheConservativeAlignment() throws {
        XCTAssertTrue(try configure(["-Xmx32736m"]).useCompressedOops)
        XCTAssertFalse(try configure(["-Xmx32737m"]).useCompressedOops)
        // 21's 512 MiB regions lower the limit to 32 GiB - 512 MiB (JDK-8354145).
        XCTAssertFalse(try configure(["-Xmx32736m"], jdk: .v21).useCompressedOops)
        XCTAssertTrue(try configure(["-Xmx32256m"], jdk: .v21).useCompressedOops)
        XCTAssertTrue(try configure(["-XX:ObjectAlignmentInBytes=16", "-Xmx40g"]).useCompressedOops)
    }

    func testSideTablesDifferBetweenReleases() throws {
        XCTAssertEqual(try configure(["-Xmx8g"]).jdk.g1MarkBitmaps.count, 2)
        XCTAssertEqual(try configure(["-Xmx8g"], jdk: .v25).jdk.g1MarkBitmaps.count, 1)
    }

    func testCodeCacheSplitsIntoThreeHeapsWithTieredCompilation() throws {
        let code = try configure([]).codeCache
        XCTAssertEqual(code.reservedSize, 240 << 20)
        XCTAssertEqual(code.heaps.map(\.name), ["profiled nmethods", "non-nmethods", "non-profiled nmethods"])
        XCTAssertEqual(code.heaps.map(\.size), [122_912_768, 5_828_608, 122_916_864])
        XCTAssertEqual(try configure([], jdk: .v25).codeCache.heaps.map(\.size), [122_916_864, 5_828_608, 122_916_864])
        XCTAssertFalse(try configure(["-XX:ReservedCodeCacheSize=64m"]).codeCache.segmented)
    }

    func testThreadCountsFollowTheProcessors() throws {
        let two = try configure([])
        XCTAssertEqual([two.parallelGCThreads, two.concGCThreads, two.c1Compilers + two.c2Compilers], [2, 1, 2])
        let eight = try configure(["-XX:ActiveProcessorCount=8"])
        XCTAssertEqual([eight.parallelGCThreads, eight.concGCThreads, eight.c1Compilers + eight.c2Compilers], [8, 2, 4])
        XCTAssertEqual(try configure([], machine: JVMMachine(ram: machine.ram, cpus: 1)).collector, .serial)
    }

    func testBadOptionsFailInTheJVMsWords() {
        let cases: [([String], JDK, String, JVMError.Stage)] = [
            (["-XX:FooBar"], .v17, "Unrecognized VM option 'FooBar'", .arguments),
            (["-XX:+MaxHeapSize"], .v17, "Unexpected +/- setting in VM option 'MaxHeapSize'", .arguments),
            (["-XX:UseG1GC"], .v17, "Missing +/- setting for VM option 'UseG1GC'", .arguments),
            (["-Xmx8q"], .v17, "Invalid maximum heap size: -Xmx8q", .arguments),
            (["-XX:ObjectAlignmentInBytes=12"], .v17,
             "ObjectAlignmentInBytes (12) must be power of 2\nImproperly specified VM option 'ObjectAlignmentInBytes=12'", .arguments),
            (["-XX:G1HeapRegionSize=64m"], .v17,
             "size_t G1HeapRegionSize=67108864 is outside the allowed range [ 0 ... 33554432 ]\nImproperly specified VM option 'G1HeapRegionSize=64m'", .arguments),
            (["-Xms16g", "-Xmx8g"], .v17, "Initial heap size set to a larger value than the maximum heap size", .initialization),
            (["-Xss1k"], .v17, "The Java thread stack size specified is too small. Specify at least 136k", .threadCreation),
            (["-XX:+UseCompactObjectHeaders"], .v17, "Unrecognized VM option '+UseCompactObjectHeaders'", .arguments),
        ]
        for (options, jdk, message, stage) in cases {
            XCTAssertThrowsError(try configure(options, jdk: jdk), "\(options)") { error in
                XCTAssertEqual(error as? JVMError, JVMError(message, stage: stage), "\(options)")
            }
        }
    }
}
