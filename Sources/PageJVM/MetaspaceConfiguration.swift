/// Metaspace's geometry (`memory/metaspace/chunklevel.hpp`, `metaspaceSettings.hpp`;
/// `docs/hotspot.md` §3) for the current 17u, 21 and 25: 16 MiB root chunks in 15 levels down to
/// 1 KiB, 64 KiB commit granules, 64 MiB non-class nodes.
public struct MetaspaceConfiguration: Sendable {
    public let rootChunkSize: Int
    public let levels: Int
    public let commitGranule: Int
    public let nodeSize: Int
    /// The first GC high-water mark: `MetaspaceSize` aligned down to the granule.
    public let metaspaceSize: Int
    /// nil when unlimited.
    public let maxMetaspaceSize: Int?
    /// 17 only: "balanced", "aggressive" or "none".
    public let reclaimPolicy: String?

    init(jdk: JDK, arguments: JVMArguments, pageSize: Int) {
        rootChunkSize = 16 << 20
        levels = 15
        let policy = jdk.hasReclaimPolicy ? arguments.string("MetaspaceReclaimPolicy") : nil
        commitGranule = max(pageSize, policy == "aggressive" ? 16 << 10 : 64 << 10)
        nodeSize = 4 * rootChunkSize
        metaspaceSize = JVMConfiguration.alignDown(arguments.integer("MetaspaceSize"), commitGranule)
        let limit = arguments.integer("MaxMetaspaceSize")
        maxMetaspaceSize = limit == Int.max ? nil : limit
        reclaimPolicy = policy
    }
}
