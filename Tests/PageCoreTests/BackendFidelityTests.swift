import XCTest
@testable import PageCore

/// The same operations on the host and on a model of this host must leave every page in the same
/// state (DESIGN §2): each case runs a sequence of steps on a region of each backend and compares
/// the page states after every step, and whether the step failed.
final class BackendFidelityTests: XCTestCase {
    typealias Step = (name: String, run: (Region) throws -> Void)

    private func compare(size: Int, align: Int? = 2 << 20, _ steps: [Step], file: StaticString = #filePath, line: UInt = #line) throws {
        let host = AddressSpace(budget: CommitBudget(limit: 4 << 30))
        let model = AddressSpace(backend: .model(.likeHost()))
        defer { host.releaseAll(); model.releaseAll() }
        let options = ReserveOptions(name: "fidelity", align: align)
        let regions = [try host.reserve(size: size, options: options), try model.reserve(size: size, options: options)]
        for step in steps {
            let outcomes = regions.map { region -> String in
                do { try step.run(region); return "ok" } catch let error as PageError { return "\(error.kind)" } catch { return "\(error)" }
            }
            XCTAssertEqual(outcomes[0], outcomes[1], "after '\(step.name)': host \(outcomes[0]), model \(outcomes[1])", file: file, line: line)
            let states = try regions.map { try $0.pageStates() }
            if states[0] != states[1] {
                XCTFail("after '\(step.name)': host \(PageState.runs(states[0])), model \(PageState.runs(states[1]))", file: file, line: line)
                return
            }
        }
    }

    private var thp: Bool { Host.thpMode == "madvise" || Host.thpMode == "always" }
    private let huge = 2 << 20, page = 4096

    func testCommitTouchReadUncommit() throws {
        try compare(size: 16 << 20, [
            ("commit", { try $0.commit(offset: 0, length: 8 << 20) }),
            ("write", { try $0.touch(offset: 0, length: 3 << 20) }),
            ("read", { try $0.touch(offset: 3 << 20, length: 2 << 20, options: TouchOptions(write: false)) }),
            ("stride", { try $0.touch(offset: 5 << 20, length: 3 << 20, options: TouchOptions(stride: 3 * 4096 + 5)) }),
            ("write over zero", { try $0.touch(offset: 4 << 20, length: 1 << 20) }),
            ("fault beyond commit", { try $0.touch(offset: 7 << 20, length: 2 << 20) }),
            ("dontneed", { try $0.advise(offset: 1 << 20, length: 1 << 20, .dontneed) }),
            ("uncommit", { try $0.uncommit(offset: 2 << 20, length: 4 << 20) }),
            ("two threads", { try $0.commit(offset: 0, length: 16 << 20); try $0.touch(offset: 0, length: 16 << 20, options: TouchOptions(threads: 2)) }),
        ])
    }

    func testHugePagesFormAndSplit() throws {
        guard thp else { throw XCTSkip("transparent huge pages are \(Host.thpMode) on this host") }
        try compare(size: 16 << 20, [
            ("commit", { try $0.commit(offset: 0, length: 16 << 20) }),
            ("hugepage", { try $0.advise(offset: 0, length: 12 << 20, .hugepage) }),
            ("write one page", { try $0.touch(offset: 4096, length: 4096) }),
            ("read a block", { try $0.touch(offset: 2 << 20, length: 2 << 20, options: TouchOptions(write: false)) }),
            ("write the huge zero page", { try $0.touch(offset: 2 << 20, length: 4096) }),
            ("write across the advice edge", { try $0.touch(offset: 10 << 20, length: 4 << 20) }),
            ("protect part of a THP", { try $0.protect(offset: 1 << 20, length: 4096, .r) }),
            ("dontneed part of a THP", { try $0.advise(offset: (2 << 20) + 8192, length: 4096, .dontneed) }),
            ("dontneed a whole THP", { try $0.advise(offset: 10 << 20, length: 2 << 20, .dontneed) }),
            ("write it again", { try $0.touch(offset: 10 << 20, length: 2 << 20) }),
        ])
    }

    /// Linux 6.14+ frees a PTE table that MADV_DONTNEED empties whole, so a THP can form there
    /// again; a table still holding pages keeps the block in base pages. (Base pages are never left
    /// in a hugepage VMA here: khugepaged, woken by the first MADV_HUGEPAGE, would collapse them
    /// at its own moment.)
    func testEmptiedPTETableLetsATHPForm() throws {
        guard thp else { throw XCTSkip("transparent huge pages are \(Host.thpMode) on this host") }
        try compare(size: 4 << 20, [
            ("commit, 4K pages", { try $0.commit(offset: 0, length: 4 << 20); try $0.advise(offset: 0, length: 4 << 20, .nohugepage) }),
            ("write", { try $0.touch(offset: 0, length: 4 << 20) }),
            ("dontneed all", { try $0.advise(offset: 0, length: 4 << 20, .dontneed) }),
            ("hugepage, write", { try $0.advise(offset: 0, length: 4 << 20, .hugepage); try $0.touch(offset: 0, length: 4 << 20) }),
        ])
    }

    func testCollapse() throws {
        guard Host.thpMode != "unsupported" else { throw XCTSkip("no transparent huge pages on this host") }
        try compare(size: 8 << 20, [
            ("commit", { try $0.commit(offset: 0, length: 8 << 20) }),
            ("write a page", { try $0.touch(offset: 4096, length: 4096) }),
            ("read block 1", { try $0.touch(offset: 2 << 20, length: 4096, options: TouchOptions(write: false)) }),
            ("collapse 0-2M", { try $0.advise(offset: 0, length: 2 << 20, .collapse) }),
            ("collapse read-only block", { try $0.advise(offset: 2 << 20, length: 2 << 20, .collapse) }),
            ("collapse untouched", { try $0.advise(offset: 4 << 20, length: 2 << 20, .collapse) }),
            ("nohugepage, collapse", { try $0.advise(offset: 6 << 20, length: 2 << 20, .nohugepage); try $0.touch(offset: 6 << 20, length: 4096); try $0.advise(offset: 6 << 20, length: 2 << 20, .collapse) }),
        ])
    }

    func testPopulateLockAndProtection() throws {
        try compare(size: 8 << 20, [
            ("commit", { try $0.commit(offset: 0, length: 8 << 20); try $0.advise(offset: 0, length: 8 << 20, .nohugepage) }),
            ("populate read", { try $0.advise(offset: 0, length: 1 << 20, .populateRead) }),
            ("populate write", { try $0.advise(offset: 1 << 20, length: 1 << 20, .populateWrite) }),
            ("protect r", { try $0.protect(offset: 2 << 20, length: 1 << 20, .r) }),
            ("populate write on r", { try $0.advise(offset: 2 << 20, length: 1 << 20, .populateWrite) }),
            ("read r", { try $0.touch(offset: 2 << 20, length: 1 << 20, options: TouchOptions(write: false)) }),
            ("write r", { try $0.touch(offset: 2 << 20, length: 4096) }),
            ("protect none", { try $0.protect(offset: 3 << 20, length: 1 << 20, .none) }),
            ("populate read on none", { try $0.advise(offset: 3 << 20, length: 1 << 20, .populateRead) }),
            ("lock r", { try $0.lock(offset: 2 << 20, length: 1 << 20) }),
            ("lock rw", { try $0.lock(offset: 4 << 20, length: 1 << 20) }),
            ("lock none", { try $0.lock(offset: 3 << 20, length: 1 << 20) }),
            ("free", { try $0.advise(offset: 4 << 20, length: 1 << 20, .free) }),
            ("dontneed across a lock", { try $0.advise(offset: 3 << 20, length: 2 << 20, .dontneed) }),
            ("unlock, dontneed", { try $0.unlock(offset: 0, length: 8 << 20); try $0.advise(offset: 0, length: 8 << 20, .dontneed) }),
        ])
    }

    func testHugetlbReservationNeedsThePool() throws {
        let pools = Host.readHugetlbPools()
        guard let size = pools.keys.sorted().first, let pool = pools[size] else { throw XCTSkip("this kernel offers no hugetlb pages") }
        let host = AddressSpace(budget: CommitBudget(limit: 1 << 30))
        let model = AddressSpace(backend: .model(.likeHost()))
        defer { host.releaseAll(); model.releaseAll() }
        let options = ReserveOptions(name: "pooled", hugePageSize: size)
        let tooMany = (pool.free + 1) * size
        for space in [host, model] {
            let error = assertPageError(.system(errno: ENOMEM)) { try space.reserve(size: tooMany, options: options) }
            XCTAssertTrue(error?.message.contains("needs \(pool.free + 1) free pages") ?? false, error?.message ?? "")
            XCTAssertTrue(space.regions.isEmpty)
        }
    }
}
