/// The clock every PageLab figure is timed with: CLOCK_MONOTONIC, in nanoseconds.
public enum Clock {
    public static var nanoseconds: UInt64 { Kernel.monotonicNanoseconds() }
}
