/// The type of a G1 heap region (`gc/g1/heapRegionType.hpp`). The archive types exist only in
/// JDK 17, where CDS maps archived heap objects into regions at the top of the heap; 21 removed
/// them (JDK-8298048).
public enum G1RegionType: String, CaseIterable, Sendable {
    case free
    case eden
    case survivor
    case old
    case startsHumongous = "starts_humongous"
    case continuesHumongous = "continues_humongous"
    case openArchive = "open_archive"
    case closedArchive = "closed_archive"

    /// The character the region map shows for a committed region of this type.
    public var symbol: Character {
        switch self {
        case .free: "."
        case .eden: "E"
        case .survivor: "S"
        case .old: "O"
        case .startsHumongous: "H"
        case .continuesHumongous: "h"
        case .openArchive: "a"
        case .closedArchive: "A"
        }
    }

    public var isYoung: Bool { self == .eden || self == .survivor }
    public var isHumongous: Bool { self == .startsHumongous || self == .continuesHumongous }
    public var isArchive: Bool { self == .openArchive || self == .closedArchive }
    /// Humongous and archive regions are pinned: no collection moves their contents.
    public var isPinned: Bool { isHumongous || isArchive }
}

/// Whether a region's memory is there (`G1CommittedRegionMap`): committed and in use, committed
/// but given up by a shrink and waiting for the uncommit task, or only reserved.
public enum G1RegionState: String, CaseIterable, Sendable {
    case active
    case inactive
    case uncommitted

    /// The map's character for regions that are not active (active ones show their type).
    var symbol: Character {
        switch self {
        case .active: "."
        case .inactive: "~"
        case .uncommitted: "-"
        }
    }
}

/// One region of the heap as the region table records it.
public struct G1HeapRegion: Sendable, Equatable {
    public let index: Int
    public internal(set) var state: G1RegionState = .uncommitted
    /// Meaningful when active; free otherwise.
    public internal(set) var type: G1RegionType = .free
    /// Bytes allocated in the region (its top minus its bottom).
    public internal(set) var used = 0
    /// Young collections a survivor region's objects have survived.
    public internal(set) var age = 0
    /// The NUMA node G1 prefers for the region while it is active (`G1NUMA`: index modulo the
    /// node count); nil otherwise.
    public internal(set) var preferredNode: Int?

    init(index: Int) {
        self.index = index
    }
}
