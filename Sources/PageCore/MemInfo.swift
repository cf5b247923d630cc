/// The /proc/meminfo figures PageCore uses, in bytes (zeros if the file cannot be read, which
/// makes every budget check fail with a message showing MemAvailable 0).
struct MemInfo {
    var total: Int
    var available: Int
    var hugePageSize: Int

    static func current() -> MemInfo {
        let fields = (try? Kernel.readText("/proc/meminfo")).map(KernelText.fields) ?? [:]
        return MemInfo(total: fields["MemTotal"] ?? 0, available: fields["MemAvailable"] ?? 0,
                       hugePageSize: fields["Hugepagesize"] ?? 0)
    }
}
