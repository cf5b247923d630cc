import PageCore

/// Reserves non-class nodes as `VirtualSpaceNode::create_node` does: `os::reserve_memory` of
/// the node size, aligned to the root chunk size, committing nothing.
final class MetaspaceNodeReserver {
    let space: AddressSpace
    let settings: MetaspaceSettings
    unowned let limiter: MetaspaceCommitLimiter
    private var reserved = 0

    init(space: AddressSpace, settings: MetaspaceSettings, limiter: MetaspaceCommitLimiter) {
        self.space = space
        self.settings = settings
        self.limiter = limiter
    }

    func reserve() throws(PageError) -> MetaspaceNode {
        reserved += 1
        let region = try space.reserve(size: settings.virtualSpaceNodeSize,
                                       options: ReserveOptions(name: "Metaspace node \(reserved)", align: settings.rootChunkSize))
        return MetaspaceNode(region: region, granule: settings.commitGranule, rootChunkSize: settings.rootChunkSize, limiter: limiter)
    }
}
