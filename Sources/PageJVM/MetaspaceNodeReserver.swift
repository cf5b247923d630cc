import PageCore

/// Where non-class nodes come from: the JVM reserves them as areas of its own, so that its NMT
/// report counts them, and forgets them when metaspace unmaps them.
public protocol MetaspaceNodeProvider: AnyObject {
    /// Reserves `size` bytes aligned to `alignment` without committing any.
    func reserveMetaspaceNode(size: Int, alignment: Int) throws(PageError) -> Region
    /// Unmaps a node `reserveMetaspaceNode` gave.
    func releaseMetaspaceNode(_ region: Region)
}

/// Reserves non-class nodes as `VirtualSpaceNode::create_node` does: `os::reserve_memory` of
/// the node size, aligned to the root chunk size, committing nothing; through the provider if
/// there is one, else directly in the address space.
final class MetaspaceNodeReserver {
    let space: AddressSpace
    let settings: MetaspaceSettings
    unowned let limiter: MetaspaceCommitLimiter
    private weak var provider: MetaspaceNodeProvider?
    private let hasProvider: Bool
    private var reserved = 0

    init(space: AddressSpace, settings: MetaspaceSettings, limiter: MetaspaceCommitLimiter, provider: MetaspaceNodeProvider?) {
        self.space = space
        self.settings = settings
        self.limiter = limiter
        self.provider = provider
        hasProvider = provider != nil
    }

    func reserve() throws(PageError) -> MetaspaceNode {
        reserved += 1
        let region: Region
        if hasProvider {
            guard let provider else { throw PageError(.closed, "cannot reserve a metaspace node: the JVM is gone") }
            region = try provider.reserveMetaspaceNode(size: settings.virtualSpaceNodeSize, alignment: settings.rootChunkSize)
        } else {
            region = try space.reserve(size: settings.virtualSpaceNodeSize,
                                       options: ReserveOptions(name: "Metaspace node \(reserved)", align: settings.rootChunkSize))
        }
        return MetaspaceNode(region: region, granule: settings.commitGranule, rootChunkSize: settings.rootChunkSize, limiter: limiter)
    }

    /// `VirtualSpaceNode`'s destructor: the reservation goes.
    func release(_ node: MetaspaceNode) {
        node.dropCommits()
        if let provider {
            provider.releaseMetaspaceNode(node.region)
        } else {
            node.region.close()
        }
    }
}
