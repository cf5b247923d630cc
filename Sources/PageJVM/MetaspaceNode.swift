import PageCore

/// A virtual space node (`VirtualSpaceNode`): one reservation, carved into root chunks from the
/// bottom as the chunk manager asks for them, committed and uncommitted granule by granule
/// (`os::commit_memory`, `os::uncommit_memory`) under the commit limiter.
final class MetaspaceNode {
    let region: Region
    /// The node's part of `region`: all of it, except for a class space that shares its
    /// reservation with the CDS archive.
    let offset: Int
    let size: Int
    let granule: Int
    let rootChunkSize: Int
    unowned let limiter: MetaspaceCommitLimiter
    /// Which granules are committed.
    private(set) var committedGranules: [Bool]
    /// Bytes of root chunks handed out so far.
    private(set) var carved = 0
    /// Every chunk of the node, free or in use, by offset.
    var chunks: [Int: MetaspaceChunk] = [:]
    /// Ranges written since the last `flushWrites`, touched together.
    private var pendingWrites: [Range<Int>] = []

    init(region: Region, offset: Int = 0, size: Int? = nil, granule: Int, rootChunkSize: Int, limiter: MetaspaceCommitLimiter) {
        self.region = region
        self.offset = offset
        self.size = size ?? region.size - offset
        self.granule = granule
        self.rootChunkSize = rootChunkSize
        self.limiter = limiter
        committedGranules = Array(repeating: false, count: self.size / granule)
    }

    /// Whole root chunks the node holds.
    var capacity: Int { size / rootChunkSize * rootChunkSize }
    var committedBytes: Int { committedGranules.count { $0 } * granule }
    /// No chunk of the node is in use: free chunks have merged back into root chunks.
    var isUnused: Bool { chunks.values.allSatisfy(\.isFree) }

    /// Carves the next root chunk; nil when the node is used up.
    func carveRootChunk() -> MetaspaceChunk? {
        guard carved + rootChunkSize <= capacity else { return nil }
        let chunk = MetaspaceChunk(node: self, offset: carved, level: 0, size: rootChunkSize)
        chunks[carved] = chunk
        carved += rootChunkSize
        return chunk
    }

    func committedPrefix(of span: Range<Int>) -> Int {
        var offset = span.lowerBound
        while offset < span.upperBound && committedGranules[offset / granule] {
            offset = (offset / granule + 1) * granule
        }
        return min(offset, span.upperBound) - span.lowerBound
    }

    /// Commits the granules under `span` that are not committed yet, if the limiter allows all
    /// of them (`VirtualSpaceNode::ensure_range_is_committed`); false if it does not.
    func ensureCommitted(_ span: Range<Int>) throws(PageError) -> Bool {
        let granules = span.lowerBound / granule..<(span.upperBound + granule - 1) / granule
        let missing = granules.count { !committedGranules[$0] } * granule
        guard missing > 0 else { return true }
        guard missing <= limiter.allowedExpansion else { return false }
        for run in consecutiveRuns(in: granules, where: { !committedGranules[$0] }) {
            try region.commit(offset: offset + run.lowerBound * granule, length: run.count * granule)
            for index in run { committedGranules[index] = true }
        }
        limiter.committed += missing
        return true
    }

    /// Uncommits the committed granules under `span` (granule-aligned).
    func uncommit(_ span: Range<Int>) throws(PageError) {
        let granules = span.lowerBound / granule..<span.upperBound / granule
        for run in consecutiveRuns(in: granules, where: { committedGranules[$0] }) {
            try region.uncommit(offset: offset + run.lowerBound * granule, length: run.count * granule)
            for index in run { committedGranules[index] = false }
            limiter.committed -= run.count * granule
        }
    }

    /// Records that metadata was written to `span`; `flushWrites` touches it.
    func recordWrite(_ span: Range<Int>) {
        pendingWrites.append(span)
    }

    /// Stores to every base page of the recorded writes, so that what is used is resident: one
    /// touch per run of adjacent pages, since each touch checks the commit budget.
    func flushWrites() throws(PageError) {
        defer { pendingWrites.removeAll() }
        var runs: [Range<Int>] = []
        for pages in pendingWrites.map(basePages(covering:)).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = runs.last, pages.lowerBound <= last.upperBound {
                runs[runs.count - 1] = last.lowerBound..<max(last.upperBound, pages.upperBound)
            } else {
                runs.append(pages)
            }
        }
        for run in runs {
            try region.touch(offset: offset + run.lowerBound, length: run.count)
        }
    }

    /// Forgets the node's commits, which leave the limiter's count, before it is unmapped.
    func dropCommits() {
        limiter.committed -= committedBytes
        committedGranules = committedGranules.map { _ in false }
    }

    /// Resident bytes of the node.
    func resident() throws(PageError) -> Int {
        try region.stats(offset: offset, length: size).resident
    }
}

/// The commit limiter (`CommitLimiter`, `MetaspaceGC::allowed_expansion`): committed metaspace,
/// class and non-class together, may grow up to the GC high-water mark and MaxMetaspaceSize.
final class MetaspaceCommitLimiter {
    var committed = 0
    /// capacity_until_GC.
    var capacityUntilGC: Int
    let maxMetaspaceSize: Int

    init(capacityUntilGC: Int, maxMetaspaceSize: Int) {
        self.capacityUntilGC = capacityUntilGC
        self.maxMetaspaceSize = maxMetaspaceSize
    }

    var allowedExpansion: Int {
        max(0, min(capacityUntilGC, maxMetaspaceSize) - committed)
    }
}
