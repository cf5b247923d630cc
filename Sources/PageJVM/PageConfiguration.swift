/// Which pages the JVM uses, as `os::large_page_init` decides (17.0.10+ and 21.0.1+, with the
/// THP probing of JDK-8310233): small pages unless asked; transparent huge pages (madvised at
/// commit) with `-XX:+UseTransparentHugePages` when the kernel's mode allows; explicit hugetlbfs
/// pages with `-XX:+UseLargePages` only when the default pool has pages, else a warning and small
/// pages (`docs/hotspot.md` §6).
public struct PageConfiguration: Sendable {
    public enum Kind: String, Sendable {
        case small
        case transparent = "THP"
        case hugetlbfs = "HugeTLBFS"
    }

    public let kind: Kind
    /// The large page size in use; the small page size when none.
    public let largePageSize: Int
    public let smallPageSize: Int
    /// Warnings printed at startup, in HotSpot's words.
    public let warnings: [String]

    /// The page size the heap is reserved with (`os::page_size_for_region_aligned`).
    var heapPageSize: Int { kind == .small ? smallPageSize : largePageSize }

    init(_ arguments: JVMArguments, machine: JVMMachine, warnings: inout [String]) throws(JVMError) {
        smallPageSize = machine.pageSize
        var messages: [String] = []
        let hugeTLBFlags = arguments.jdk.hasHugeTLBFSFlags && (arguments.bool("UseHugeTLBFS") || arguments.bool("UseSHM"))
        if arguments.bool("UseTransparentHugePages") {
            if machine.thpMode == "never" {
                messages.append("TransparentHugePages is not supported by the operating system.")
                kind = .small
            } else {
                kind = .transparent
            }
        } else if arguments.bool("UseLargePages") || hugeTLBFlags {
            let size = arguments.integer("LargePageSizeInBytes") > 0 ? arguments.integer("LargePageSizeInBytes") : machine.defaultHugePageSize
            if size > 0, machine.freeHugePages[size, default: 0] > 0 {
                kind = .hugetlbfs
            } else {
                if arguments.isExplicit("UseLargePages") {
                    messages.append("UseLargePages disabled, no large pages configured and available on the system.")
                }
                kind = .small
            }
        } else {
            kind = .small
        }
        switch kind {
        case .small: largePageSize = machine.pageSize
        case .transparent: largePageSize = machine.thpPageSize
        case .hugetlbfs:
            largePageSize = arguments.integer("LargePageSizeInBytes") > 0 ? arguments.integer("LargePageSizeInBytes") : machine.defaultHugePageSize
        }
        self.warnings = messages
    }
}
