/// A metaspace chunk (`Metachunk`): a power-of-two block of a node, aligned to its size, free
/// in the chunk manager's lists or in use by one arena, which allocates from its bottom up.
final class MetaspaceChunk {
    unowned let node: MetaspaceNode
    /// Offset into the node's region; a merge moves it to the lower buddy's.
    var offset: Int
    var level: Int
    var size: Int
    var isFree = true
    /// Bytes allocated from the bottom (salvaged remainders included).
    var used = 0

    init(node: MetaspaceNode, offset: Int, level: Int, size: Int) {
        self.node = node
        self.offset = offset
        self.level = level
        self.size = size
    }

    /// The other half of the chunk one level up.
    var buddyOffset: Int { offset ^ size }
    /// The lower half of that pair, which a merge keeps.
    var isLeader: Bool { offset & size == 0 }
    var span: Range<Int> { offset..<offset + size }
    /// Committed bytes from the chunk's bottom (all of it, or none, for chunks smaller than a
    /// granule, which share their granule with neighbours).
    var committedBytes: Int { node.committedPrefix(of: span) }
}
