extension MetaspaceSettings {
    /// The settings a JVM command line asks for (MetaspaceReclaimPolicy in 17, MetaspaceSize,
    /// MaxMetaspaceSize, CompressedClassSpaceSize), after `Metaspace::ergo_initialize`.
    init(jdk: JDK, arguments: JVMArguments, classPointers: Bool) {
        var settings = MetaspaceSettings.defaults(for: jdk)
        if jdk.hasReclaimPolicy {
            settings.reclaimPolicy = MetaspaceReclaimPolicy(rawValue: arguments.string("MetaspaceReclaimPolicy"))
        }
        settings.metaspaceSize = arguments.integer("MetaspaceSize")
        let limit = arguments.integer("MaxMetaspaceSize")
        settings.maxMetaspaceSize = limit == Int.max ? nil : limit
        settings.classSpaceSize = arguments.integer("CompressedClassSpaceSize")
        settings.hasClassSpace = classPointers
        self = settings.ergonomicallyAdjusted()
    }
}
