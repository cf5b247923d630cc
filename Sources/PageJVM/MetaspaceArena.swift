import PageCore

/// The kind of class loader, which sets how fast its arenas grow
/// (`Metaspace::MetaspaceType`, `ArenaGrowthPolicy::policy_for_space_type`).
public enum ClassLoaderKind: String, CaseIterable, Sendable {
    /// The boot loader: large chunks from the start.
    case boot
    /// Application, platform and user-defined loaders.
    case standard
    /// The delegating loaders behind reflection accessors.
    case reflection
    /// Hidden classes and their mirror holders (lambda forms): one class each, tiny chunks.
    case hidden

    /// Chunk sizes of the first, second, ... chunk; the last repeats
    /// (`metaspaceArenaGrowthPolicy.cpp`).
    func growth(classSpace: Bool) -> [Int] {
        let k = 1 << 10
        switch (self, classSpace) {
        case (.boot, false): return [4 << 20, 1 << 20]
        case (.boot, true): return [256 * k]
        case (.standard, false): return [4 * k, 4 * k, 4 * k, 8 * k, 16 * k]
        case (.standard, true): return [2 * k, 2 * k, 4 * k, 8 * k, 16 * k]
        case (.reflection, false): return [2 * k, 1 * k]
        case (.reflection, true), (.hidden, _): return [1 * k]
        }
    }
}

/// Where an arena placed an allocation.
struct MetaspaceBlock {
    let chunk: MetaspaceChunk
    let offset: Int
    let size: Int
}

/// A class loader's allocator in one metaspace (`MetaspaceArena`): bump allocation in its
/// current chunk, which is committed as it fills, enlarged in place when its buddy is free, or
/// replaced by a new chunk of the size the growth policy says; the unused rest of a replaced
/// chunk and deallocated blocks go to a free-block list that later allocations use first.
final class MetaspaceArena {
    /// The smallest block kept in the free-block list (`FreeBlocks::MinWordSize`, two words).
    static let minimumBlock = 16

    let manager: MetaspaceChunkManager
    private let growth: [Int]
    private(set) var chunks: [MetaspaceChunk] = []
    /// Ascending by size, so that the best fit is a binary search away (HotSpot's `FreeBlocks`
    /// keeps small blocks in bins and large ones in a tree for the same reason).
    private var freeBlocks: [MetaspaceBlock] = []

    init(manager: MetaspaceChunkManager, growth: [Int]) {
        self.manager = manager
        self.growth = growth
    }

    /// Bytes taken from the arena's chunks (free blocks included, as HotSpot counts them).
    var used: Int { chunks.reduce(0) { $0 + $1.used } }

    /// The level of the next chunk by the growth policy.
    private var nextLevel: Int {
        manager.settings.level(fitting: growth[min(chunks.count, growth.count - 1)])
    }

    /// `MetaspaceArena::allocate`; nil when the commit limiter or the address space refuses.
    func allocate(_ bytes: Int) throws(PageError) -> MetaspaceBlock? {
        let index = firstFreeBlock(atLeast: bytes)
        if index < freeBlocks.count {
            let block = freeBlocks.remove(at: index)
            if block.size - bytes >= Self.minimumBlock {
                addFreeBlock(MetaspaceBlock(chunk: block.chunk, offset: block.offset + bytes, size: block.size - bytes))
            }
            return written(MetaspaceBlock(chunk: block.chunk, offset: block.offset, size: bytes))
        }
        if let current = chunks.last, current.size - current.used >= bytes || attemptEnlarge(current, bytes),
           try current.node.ensureCommitted(current.offset..<current.offset + current.used + bytes) {
            return bump(current, bytes)
        }
        let settings = manager.settings
        let maxLevel = settings.level(fitting: bytes)
        guard let chunk = try manager.chunk(preferred: min(maxLevel, nextLevel), maxLevel: maxLevel, minCommitted: bytes) else {
            return nil
        }
        if let current = chunks.last { salvage(current) }
        chunks.append(chunk)
        return bump(chunk, bytes)
    }

    /// `MetaspaceArena::deallocate`: the block goes to the free-block list.
    func deallocate(_ block: MetaspaceBlock) {
        if block.size >= Self.minimumBlock { addFreeBlock(block) }
    }

    /// Gives every chunk back to the chunk manager, as a dying loader's arena does.
    func release() {
        for chunk in chunks { manager.giveBack(chunk) }
        chunks.removeAll()
        freeBlocks.removeAll()
    }

    /// `MetaspaceArena::attempt_enlarge_current_chunk`: by one level only, for a leader whose
    /// doubled size holds what is used plus `bytes`, and not beyond what the growth policy
    /// would hand out next.
    private func attemptEnlarge(_ chunk: MetaspaceChunk, _ bytes: Int) -> Bool {
        let settings = manager.settings
        guard chunk.level > 0, chunk.used + bytes <= settings.rootChunkSize,
              settings.level(fitting: chunk.used + bytes) == chunk.level - 1,
              nextLevel <= chunk.level else { return false }
        return manager.attemptEnlarge(chunk)
    }

    /// `MetaspaceArena::salvage_chunk`: the committed rest of a retired chunk becomes a free block.
    private func salvage(_ chunk: MetaspaceChunk) {
        let rest = min(chunk.committedBytes, chunk.size) - chunk.used
        guard rest >= Self.minimumBlock else { return }
        addFreeBlock(MetaspaceBlock(chunk: chunk, offset: chunk.offset + chunk.used, size: rest))
        chunk.used += rest
    }

    /// The index of the smallest free block of at least `bytes`; `freeBlocks.count` if none.
    private func firstFreeBlock(atLeast bytes: Int) -> Int {
        var lower = 0, upper = freeBlocks.count
        while lower < upper {
            let middle = (lower + upper) / 2
            if freeBlocks[middle].size < bytes { lower = middle + 1 } else { upper = middle }
        }
        return lower
    }

    private func addFreeBlock(_ block: MetaspaceBlock) {
        freeBlocks.insert(block, at: firstFreeBlock(atLeast: block.size))
    }

    private func bump(_ chunk: MetaspaceChunk, _ bytes: Int) -> MetaspaceBlock {
        let block = MetaspaceBlock(chunk: chunk, offset: chunk.offset + chunk.used, size: bytes)
        chunk.used += bytes
        return written(block)
    }

    private func written(_ block: MetaspaceBlock) -> MetaspaceBlock {
        block.chunk.node.recordWrite(block.offset..<block.offset + block.size)
        return block
    }
}
