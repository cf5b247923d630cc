/// Milliseconds on a monotonic clock, as HotSpot's service thread schedules its tasks. The
/// models take the clock as a value so that tests and scenarios can drive time themselves.
public struct MillisecondClock {
    public let now: () -> Int

    public init(now: @escaping () -> Int) {
        self.now = now
    }

    /// Milliseconds since the clock was made, on `ContinuousClock`.
    public static func monotonic() -> MillisecondClock {
        let start = ContinuousClock.now
        return MillisecondClock { Int((ContinuousClock.now - start) / .milliseconds(1)) }
    }
}
