import CPageSys
import PageCore

/// How compiled code notices a pending safepoint (hotspot.md §5).
public enum Mechanism: String, CaseIterable, Sendable {
    /// One polling page for all threads, made PROT_NONE to arm (JDK 9 and before).
    case globalPage = "global-page"
    /// Per-thread pointers switched from a good to a bad page (thread-local handshakes, JDK 10+).
    case threadPage = "thread-page"
    /// A per-thread word tested with a branch.
    case pollWord = "poll-word"
    /// Interpreted threads whose dispatch table is swapped for the safepoint table (seed 004).
    case dispatch

    var native: cps_sp_mechanism {
        switch self {
        case .globalPage: CPS_SP_GLOBAL_PAGE
        case .threadPage: CPS_SP_THREAD_PAGE
        case .pollWord: CPS_SP_POLL_WORD
        case .dispatch: CPS_SP_DISPATCH
        }
    }
}

/// How the transitions of threads in native are ordered against the coordinator (seed 000).
public enum Ordering: String, CaseIterable, Sendable {
    /// The memory serialize page, flipped read-only and back by the coordinator (JDK ≤ 11, !UseMembar).
    case serializePage = "serialize-page"
    /// A full fence in every transition (UseMembar; always since JDK 12).
    case fence
    /// membarrier(2) once per safepoint, no fence in the transitions (UseSystemMemoryBarrier, JDK 20+).
    case membarrier

    var native: cps_sp_ordering {
        switch self {
        case .serializePage: CPS_SP_SERIALIZE_PAGE
        case .fence: CPS_SP_FENCE
        case .membarrier: CPS_SP_MEMBARRIER
        }
    }
}

/// How the coordinator waits for the mutators still running.
public enum CoordinatorWait: String, CaseIterable, Sendable {
    /// Sleeps on a futex that the last mutator to arrive wakes: the minimum.
    case futex
    /// Looks, sleeps 10 µs (1 ms after the first millisecond), looks again: JDK 17's
    /// SafepointSynchronize::synchronize_threads with its back_off.
    case backoff
}

/// What mutators do between polls.
public enum Work: String, CaseIterable, Sendable {
    /// A multiply-add chain.
    case compute
    /// 64-byte object initialisations at a bump pointer, as an allocator would.
    case store
    /// 256-byte copies within the thread's buffer.
    case copy

    var native: cps_sp_work {
        switch self {
        case .compute: CPS_SP_COMPUTE
        case .store: CPS_SP_STORE
        case .copy: CPS_SP_COPY
        }
    }
}

extension RawRepresentable where Self: CaseIterable, RawValue == String {
    /// The case named `text`, or an error naming the bad value and the valid ones.
    public static func named(_ text: String, parameter: String) throws(PageError) -> Self {
        guard let value = Self(rawValue: text) else {
            throw PageError(.invalidArgument(parameter: parameter),
                            "invalid \(parameter) '\(text)' (expected one of: \(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return value
    }
}
