/// The /proc/meminfo figures PageCore uses, in bytes (zeros if the file cannot be read, which
/// makes every budget check fail with a message showing MemAvailable 0).
struct MemInfo {
    var total: Int
    var available: Int
    var hugePageSize: Int

    static func current() -> MemInfo {
        let values = KernelText.values(of: ["MemTotal", "MemAvailable", "Hugepagesize"], in: (try? Kernel.readText("/proc/meminfo")) ?? "")
        return MemInfo(total: values[0] ?? 0, available: values[1] ?? 0, hugePageSize: values[2] ?? 0)
    }
}
