import Foundation
import PageCore
import PageJVM
import XCTest

/// Boots the model on this host for every flag set recorded from the real JVMs
/// (Fixtures/jdk17, Fixtures/jdk25; `scripts/jvm-compare --record`) and compares it with what the
/// JVM reported: heap placement and encoding, and NMT's mmap reserved and committed bytes.
///
/// What is compared, and why not more:
/// - Every collector (G1, Parallel, Serial, Z): the heap and NMT's Java Heap, Class, Code, GC,
///   Metaspace, Shared class space and Safepoint, byte for byte where the JVM repeats itself.
/// - -XX:+UseTransparentHugePages: the heap and Code only; with THP HotSpot commits side tables
///   of 2 MiB or more in 2 MiB steps, which the model does not reproduce yet.
/// - Heap addresses the kernel chooses (ZGC, no compressed oops) differ from run to run and are
///   not compared; Thread and Internal are not compared (threads depend on timing).
final class FixtureTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    func testModelMatchesJDK17() throws { try compare(jdk: .v17) }
    func testModelMatchesJDK25() throws { try compare(jdk: .v25) }

    func compare(jdk: JDK) throws {
        let folder = Self.fixtures.appendingPathComponent("jdk\(jdk)")
        let host = try json(folder.appendingPathComponent("host.json"))
        let machine = JVMMachine(ram: host["ram"] as! Int, cpus: host["cpus"] as! Int)
        let flagSets = try String(contentsOf: folder.appendingPathComponent("flagsets.txt"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
        var compared = 0
        for line in flagSets {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let slug = String(fields[0]), options = fields.count > 1 ? fields[1].split(separator: " ").map(String.init) : []
            let expected = try json(folder.appendingPathComponent("\(slug).json"))
            let space = AddressSpace(budget: CommitBudget(limit: 8 << 30))
            defer { space.releaseAll() }
            if let heap = expected["heap"] as? [String: Any] {
                let jvm = try JVM.boot(options, jdk: jdk, machine: machine, space: space)
                try compareLayout(jvm, heap: heap, nmt: expected["nmt"] as! [String: [String: Int]],
                                  deterministic: expected["deterministic"] as? [String: Any], slug: "\(jdk)/\(slug)")
                jvm.close()
            } else {
                try compareFailure(options, jdk: jdk, machine: machine, space: space, expected: expected, slug: "\(jdk)/\(slug)")
            }
            compared += 1
        }
        XCTAssertGreaterThan(compared, 40, "too few fixtures for JDK \(jdk) in \(folder.path)")
    }

    func compareLayout(_ jvm: JVM, heap: [String: Any], nmt: [String: [String: Int]], deterministic: [String: Any]?, slug: String) throws {
        let configuration = jvm.configuration
        let reservation = jvm.heap!
        XCTAssertEqual(reservation.mode.rawValue, heap["coops_mode"] as? String, "\(slug): coops mode")
        XCTAssertEqual(reservation.shift, heap["coops_shift"] as? Int, "\(slug): coops shift")
        XCTAssertEqual(configuration.regionSize, heap["region_size"] as? Int, "\(slug): region size")
        let summary = try NMTSummary(jvm, resident: false)
        XCTAssertEqual(summary[.javaHeap]?.reserved, heap["reserved"] as? Int, "\(slug): heap reserved")
        XCTAssertEqual(summary[.javaHeap]?.committed, heap["committed"] as? Int, "\(slug): heap committed")
        let baseIsDeterministic = heap["base"] is Int && ((deterministic?["heap"] as? [String: Bool])?["base"] ?? false)
        if baseIsDeterministic {
            XCTAssertEqual(Int(reservation.base), heap["base"] as? Int, "\(slug): heap base")
        }
        let categories: [NMTCategory] = [.javaHeap, .klass, .code, .gc, .metaspace, .sharedClassSpace, .safepoint]
        let repeatable = deterministic?["nmt"] as? [String: [String: Bool]] ?? [:]
        for category in categories {
            let expected = nmt[category.rawValue] ?? ["reserved": 0, "committed": 0]
            for field in ["reserved", "committed"] where repeatable[category.rawValue]?[field] ?? true {
                let value = field == "reserved" ? summary[category]?.reserved : summary[category]?.committed
                XCTAssertEqual(value ?? 0, expected[field], "\(slug): NMT \(category.rawValue) \(field)")
            }
        }
    }

    func compareFailure(_ options: [String], jdk: JDK, machine: JVMMachine, space: AddressSpace, expected: [String: Any], slug: String) throws {
        XCTAssertThrowsError(try JVM.boot(options, jdk: jdk, machine: machine, space: space), slug) { error in
            guard let error = error as? JVMError else { return XCTFail("\(slug): \(error) is not a JVMError") }
            // The JVM's standard output also carries its -Xlog lines, and after a failed commit an
            // hs_err report: ours must appear in it.
            if !error.standardOutput.isEmpty {
                XCTAssertTrue((expected["stdout"] as? String ?? "").contains(error.standardOutput), "\(slug): stdout contains\n\(error.standardOutput)")
            }
            XCTAssertEqual(error.standardError, expected["stderr"] as? String, "\(slug): stderr")
        }
        XCTAssertTrue(space.regions.isEmpty, "\(slug): a failed boot leaves nothing mapped")
    }

    func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }
}
