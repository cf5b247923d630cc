/// The GC high-water mark of metaspace (`MetaspaceGC` in `memory/metaspace.cpp`): committing
/// beyond `capacity_until_GC` fails and makes the JVM collect; the mark rises by the expansion
/// steps after that and is resized by the free ratios after each collection.
struct MetaspaceGCThreshold {
    let settings: MetaspaceSettings
    /// `_shrink_factor`: a shrink takes 0%, then 10%, 40%, 100% of what it could.
    private var shrinkFactor = 0

    init(settings: MetaspaceSettings) {
        self.settings = settings
    }

    private var maximum: Int { settings.maxMetaspaceSize ?? Int.max }

    /// `MetaspaceGC::delta_capacity_until_GC`: the step for an allocation of `bytes`.
    func delta(for bytes: Int) -> Int {
        let granule = settings.commitGranule
        let delta = (bytes + granule - 1) / granule * granule
        if delta <= settings.minMetaspaceExpansion { return settings.minMetaspaceExpansion }
        if delta <= settings.maxMetaspaceExpansion { return settings.maxMetaspaceExpansion }
        return delta + settings.minMetaspaceExpansion
    }

    /// `MetaspaceGC::inc_capacity_until_GC`: fails when the mark would pass MaxMetaspaceSize.
    func raise(_ limiter: MetaspaceCommitLimiter, by bytes: Int) -> Bool {
        let (raised, overflow) = limiter.capacityUntilGC.addingReportingOverflow(bytes)
        guard !overflow, raised <= maximum else { return false }
        limiter.capacityUntilGC = raised
        return true
    }

    /// `MetaspaceGC::compute_new_size` after a collection, with committed metaspace as what is
    /// in use: the mark rises to leave MinMetaspaceFreeRatio free, or falls (damped) to leave at
    /// most MaxMetaspaceFreeRatio free, never below MetaspaceSize; steps smaller than
    /// MinMetaspaceExpansion are not taken.
    mutating func resize(_ limiter: MetaspaceCommitLimiter) {
        let currentShrinkFactor = shrinkFactor
        shrinkFactor = 0
        let usedAfterGC = Double(limiter.committed)
        let capacity = limiter.capacityUntilGC
        let granule = settings.commitGranule
        let minimumDesired = max(Int(min(usedAfterGC / (1 - Double(settings.minMetaspaceFreeRatio) / 100), Double(maximum))),
                                 settings.metaspaceSize)
        if capacity < minimumDesired {
            let expansion = (minimumDesired - capacity + granule - 1) / granule * granule
            if expansion >= settings.minMetaspaceExpansion {
                _ = raise(limiter, by: expansion)
            }
            return
        }
        var shrink = 0
        if settings.maxMetaspaceFreeRatio < 100 {
            let maximumDesired = max(Int(min(usedAfterGC / (1 - Double(settings.maxMetaspaceFreeRatio) / 100), Double(maximum))),
                                     settings.metaspaceSize)
            if capacity > maximumDesired {
                shrink = (capacity - maximumDesired) / 100 * currentShrinkFactor / granule * granule
                shrinkFactor = currentShrinkFactor == 0 ? 10 : min(currentShrinkFactor * 4, 100)
            }
        }
        if shrink >= settings.minMetaspaceExpansion && capacity - shrink >= settings.metaspaceSize {
            limiter.capacityUntilGC -= shrink
        }
    }
}
