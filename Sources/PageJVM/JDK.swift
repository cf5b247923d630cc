/// The HotSpot release a model follows, and the memory facts that differ between releases
/// (`docs/hotspot.md` §0 and §11).
///
/// "17" is the current 17u as installed here (17.0.15), not 17 GA: the backports of 17.0.7
/// (16 MiB metaspace root chunk, 64 MiB nodes), 17.0.8 (`ArchiveRelocationMode=1`, the
/// `Cleanup:` safepoint field) and JDK-8280872 (code heap order) are what people run.
public enum JDK: Int, CaseIterable, Sendable, CustomStringConvertible {
    case v17 = 17
    case v21 = 21
    case v25 = 25

    public var description: String { String(rawValue) }

    /// G1's largest region: 32 MiB in 17, 512 MiB from 18 (JDK-8275056). The ergonomic choice
    /// stays at most 32 MiB in every release.
    public var g1MaxRegionSize: Int { self == .v17 ? 32 << 20 : 512 << 20 }

    /// The card counts table of G1's hot card cache went away in 21 (JDK-8225409).
    public var g1HasCardCounts: Bool { self == .v17 }

    /// Two mark bitmaps (prev and next) until 20, one since (JDK-8210708).
    public var g1MarkBitmaps: [String] { self == .v17 ? ["Prev Bitmap", "Next Bitmap"] : ["Mark Bitmap"] }

    /// The card size is a flag (`GCCardSizeInBytes`) from 18 (JDK-8272773).
    public var hasCardSizeFlag: Bool { self != .v17 }

    /// `MetaspaceReclaimPolicy` exists only in 17 (obsoleted in 21, JDK-8306696).
    public var hasReclaimPolicy: Bool { self == .v17 }

    /// Metaspace's class space and non-class nodes are unmapped when free only in 17; from 18
    /// reserved metaspace never shrinks (JDK-8275582).
    public var purgesFreeMetaspaceNodes: Bool { self == .v17 }

    /// UseSHM and UseHugeTLBFS were removed in 22 (JDK-8261894).
    public var hasHugeTLBFSFlags: Bool { self != .v25 }

    /// ZGC is generational only from 24 (JEP 490); 21 has both, behind `ZGenerational`.
    public var zgcGenerationalOnly: Bool { self == .v25 }

    /// The pretouch store: one plain byte store per page in 17, `Atomic::add(int*, 0)` from 18
    /// (JDK-8272807). 25 uses MADV_POPULATE_WRITE when THP is in play (JDK-8315923).
    public var pretouchUsesPopulate: Bool { self == .v25 }
}
