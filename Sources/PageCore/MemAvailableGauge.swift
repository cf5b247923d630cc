/// MemAvailable for the commit budget's live floor, without reading /proc/meminfo on every
/// check: a JVM boot commits and touches dozens of ranges within a millisecond, and one read
/// of /proc/meminfo costs about as much as touching a few pages. A reading is reused while it
/// is fresh (`maximumAge`) and the charge leaves more than `margin` above the reserve even
/// after subtracting what this address space charged since; anything closer reads the file
/// again, so a check that fails (and the figure its message shows) always comes from a fresh
/// reading. The margin covers what other processes may take while a reading is reused.
struct MemAvailableGauge {
    static let maximumAge: UInt64 = 100_000_000
    static let margin = 1 << 30

    private var reading = 0
    private var readAt: UInt64?
    private var chargedAtReading = 0

    /// MemAvailable to check `charge` against, the address space having `charged` bytes now.
    mutating func available(toCharge charge: Int, reserve: Int, charged: Int) -> Int {
        let now = Clock.nanoseconds
        if let readAt, now &- readAt < Self.maximumAge {
            let estimate = reading - max(0, charged - chargedAtReading)
            if charge <= estimate - reserve - Self.margin { return estimate }
        }
        reading = MemInfo.current().available
        readAt = now
        chargedAtReading = charged
        return reading
    }
}
