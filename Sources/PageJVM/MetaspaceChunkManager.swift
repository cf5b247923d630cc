import PageCore

/// The buddy allocator of one metaspace (non-class or class: `ChunkManager` with its
/// `VirtualSpaceList`). Free chunks wait in one list per level, committed ones at the front;
/// a request is served from the lists, splitting a larger chunk into halves (the splinters go
/// back to the lists), or from a new root chunk of the newest node; returned chunks merge with
/// their free buddies, up to root chunks.
final class MetaspaceChunkManager {
    let settings: MetaspaceSettings
    /// The nodes, oldest first; root chunks come from the last one.
    private(set) var nodes: [MetaspaceNode]
    /// Free chunks by level.
    private(set) var freeLists: [[MetaspaceChunk]]
    /// Reserves new nodes; nil for the class space, whose one node cannot grow.
    private let reserver: MetaspaceNodeReserver?

    init(settings: MetaspaceSettings, nodes: [MetaspaceNode], reserver: MetaspaceNodeReserver?) {
        self.settings = settings
        self.nodes = nodes
        self.reserver = reserver
        freeLists = Array(repeating: [], count: settings.levels)
    }

    // MARK: Handing out chunks

    /// `ChunkManager::get_chunk`: a chunk of `preferred` level or larger split down to it (or
    /// smaller, down to `maxLevel`), with at least `minCommitted` bytes committed from its
    /// bottom (all of it under reclaim policy none). Nil when no chunk can be had or the
    /// commit limiter refuses the commit.
    func chunk(preferred: Int, maxLevel: Int, minCommitted: Int) throws(PageError) -> MetaspaceChunk? {
        var found = searchAscending(from: preferred, to: min(preferred + 2, maxLevel), minCommitted: minCommitted)
            ?? searchDescending(from: preferred, minCommitted: minCommitted)
            ?? searchAscending(from: preferred, to: maxLevel, minCommitted: minCommitted)
            ?? searchAscending(from: preferred, to: maxLevel, minCommitted: 0)
            ?? searchDescending(from: preferred, minCommitted: 0)
        if found == nil {
            found = try newRootChunk()
        }
        guard let chunk = found else { return nil }
        split(chunk, to: preferred)
        let wanted = settings.commitsNewChunksFully ? chunk.size : minCommitted
        guard try chunk.node.ensureCommitted(chunk.offset..<chunk.offset + wanted) else {
            giveBack(chunk)
            return nil
        }
        chunk.isFree = false
        return chunk
    }

    private func searchAscending(from level: Int, to maxLevel: Int, minCommitted: Int) -> MetaspaceChunk? {
        guard level <= maxLevel else { return nil }
        return take(levels: Array(level...maxLevel), minCommitted: minCommitted)
    }

    private func searchDescending(from level: Int, minCommitted: Int) -> MetaspaceChunk? {
        take(levels: Array((0...level).reversed()), minCommitted: minCommitted)
    }

    /// Removes and returns the first free chunk, level by level, with `minCommitted` bytes
    /// committed.
    private func take(levels: [Int], minCommitted: Int) -> MetaspaceChunk? {
        for level in levels {
            if let index = freeLists[level].firstIndex(where: { $0.committedBytes >= minCommitted }) {
                return freeLists[level].remove(at: index)
            }
        }
        return nil
    }

    /// `VirtualSpaceList::allocate_root_chunk`: from the newest node, or a new node if the list
    /// may grow.
    private func newRootChunk() throws(PageError) -> MetaspaceChunk? {
        if let chunk = nodes.last?.carveRootChunk() { return chunk }
        guard let reserver else { return nil }
        let node = try reserver.reserve()
        nodes.append(node)
        return node.carveRootChunk()
    }

    /// Halves `chunk` until it is of `level`, keeping the lower half and freeing the other.
    private func split(_ chunk: MetaspaceChunk, to level: Int) {
        while chunk.level < level {
            chunk.level += 1
            chunk.size /= 2
            let splinter = MetaspaceChunk(node: chunk.node, offset: chunk.offset + chunk.size, level: chunk.level, size: chunk.size)
            chunk.node.chunks[splinter.offset] = splinter
            addFree(splinter)
        }
    }

    // MARK: Taking chunks back

    /// `ChunkManager::return_chunk`: frees the chunk and merges it with free buddies.
    func giveBack(_ chunk: MetaspaceChunk) {
        chunk.isFree = true
        chunk.used = 0
        while chunk.level > 0, let buddy = chunk.node.chunks[chunk.buddyOffset], buddy.isFree, buddy.level == chunk.level {
            removeFree(buddy)
            chunk.node.chunks[buddy.offset] = nil
            chunk.node.chunks[chunk.offset] = nil
            chunk.offset = min(chunk.offset, buddy.offset)
            chunk.level -= 1
            chunk.size *= 2
            chunk.node.chunks[chunk.offset] = chunk
        }
        addFree(chunk)
    }

    /// `ChunkManager::attempt_enlarge_chunk`: a leader chunk swallows its free buddy in place.
    func attemptEnlarge(_ chunk: MetaspaceChunk) -> Bool {
        guard chunk.level > 0, chunk.isLeader, let buddy = chunk.node.chunks[chunk.buddyOffset],
              buddy.isFree, buddy.level == chunk.level else { return false }
        removeFree(buddy)
        chunk.node.chunks[buddy.offset] = nil
        chunk.level -= 1
        chunk.size *= 2
        return true
    }

    private func addFree(_ chunk: MetaspaceChunk) {
        if chunk.committedBytes > 0 {
            freeLists[chunk.level].insert(chunk, at: 0)
        } else {
            freeLists[chunk.level].append(chunk)
        }
    }

    private func removeFree(_ chunk: MetaspaceChunk) {
        freeLists[chunk.level].removeAll { $0 === chunk }
    }

    // MARK: Purge

    /// `ChunkManager::purge` after class unloading: unmaps nodes whose chunks are all free
    /// (JDK 17, `VirtualSpaceList::purge`; never the class space), then uncommits free chunks of
    /// a granule or more (not under reclaim policy none). Returns the nodes unmapped.
    func purge(unmapFreeNodes: Bool) throws(PageError) -> Int {
        var unmapped = 0
        if unmapFreeNodes, let reserver {
            for node in nodes where node.isUnused {
                for chunk in node.chunks.values { removeFree(chunk) }
                reserver.release(node)
                unmapped += 1
            }
            nodes.removeAll(where: \.isUnused)
        }
        if settings.uncommitsFreeChunks {
            for level in 0...settings.level(fitting: settings.commitGranule) {
                for chunk in freeLists[level] {
                    try chunk.node.uncommit(chunk.span)
                }
            }
        }
        return unmapped
    }

    // MARK: Figures

    var reserved: Int { nodes.reduce(0) { $0 + $1.size } }
    var committed: Int { nodes.reduce(0) { $0 + $1.committedBytes } }
    var freeBytes: Int { freeLists.joined().reduce(0) { $0 + $1.size } }
}
