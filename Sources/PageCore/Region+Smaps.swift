/// What only /proc/self/smaps knows about a region: the kernel's own per-VMA accounting, to hold
/// against PageLab's page scan (Rss, Pss, AnonHugePages, hugetlb, which Rss leaves out, Locked),
/// plus facts no page scan gives: the VMAs the kernel made of the region, THP eligibility, the
/// kernel page size and the VmFlags. It walks the page tables of the whole process (≈13 ns per
/// resident page, 1.5 µs per VMA: linux-kernel.md §7), so it is for looking, not for loops.
public struct SmapsSummary: Sendable, Equatable {
    /// Number of VMAs overlapping the region; reservations split into several as parts are
    /// committed or protected differently.
    public var vmas = 0
    /// Sums over those VMAs, in bytes. A VMA the kernel merged with a neighbour counts whole.
    public var rss = 0, pss = 0, anonHugePages = 0, privateHugetlb = 0, swap = 0, locked = 0
    /// Bytes of VMAs whose THPeligible is 1.
    public var thpEligible = 0
    /// The largest KernelPageSize among them.
    public var kernelPageSize = 0
    /// The VmFlags of each VMA, in address order ("rd wr mr mw me ac hg" ...).
    public var vmFlags: [String] = []
}

extension Region {
    /// The kernel's per-VMA view of the region: read from /proc/self/smaps on the host, derived
    /// from the simulated VMAs and pages on the model.
    public func smaps() throws(PageError) -> SmapsSummary {
        _ = try span(offset: nil, length: nil)  // only to refuse a closed region
        return try backend.smaps(self)
    }
}

extension SmapsSummary {
    init(parsing text: String, overlapping range: Range<UInt>) {
        var inside = false
        var vmaSize = 0
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: \.isWhitespace)
            guard let key = words.first else { continue }
            if !key.hasSuffix(":"), key.contains("-") {
                let bounds = key.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inside = bounds.count == 2 && bounds[0] < range.upperBound && bounds[1] > range.lowerBound
                if inside {
                    vmas += 1
                    vmaSize = Int(bounds[1] - bounds[0])
                }
                continue
            }
            guard inside else { continue }
            if key == "VmFlags:" {
                vmFlags.append(words.dropFirst().joined(separator: " "))
                continue
            }
            guard words.count > 1, let number = Int(words[1]) else { continue }
            let bytes = number * 1024
            switch key {
            case "Rss:": rss += bytes
            case "Pss:": pss += bytes
            case "AnonHugePages:": anonHugePages += bytes
            case "Private_Hugetlb:": privateHugetlb += bytes
            case "Swap:": swap += bytes
            case "Locked:": locked += bytes
            case "KernelPageSize:": kernelPageSize = max(kernelPageSize, bytes)
            case "THPeligible:": if number == 1 { thpEligible += vmaSize }
            default: break
            }
        }
    }
}
