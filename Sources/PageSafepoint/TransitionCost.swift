import CPageSys
import Glibc
import PageCore

/// Seed 000's primitives on the thread's side: what one state transition (to native or back)
/// costs with each ordering. Their coordinator's side is `StormResult.ordering`.
public enum TransitionCost {
    public static let maximumTransitions = 1_000_000_000

    /// Nanoseconds per transition over `transitions` of them, timed on the calling thread; nil
    /// `ordering` measures the unordered floor (plain stores, unsafe).
    public static func measure(_ ordering: Ordering?, transitions: Int) throws(PageError) -> Double {
        guard transitions >= 2, transitions <= maximumTransitions else {
            throw invalid("transitions", "transitions \(transitions) must be between 2 and \(maximumTransitions)")
        }
        let nanoseconds = cps_sp_transition_cost(ordering?.native ?? CPS_SP_UNORDERED, UInt64(transitions))
        guard nanoseconds > 0 else {
            let error = errno
            throw PageError(.system(errno: error), "cannot measure transitions: \(String(cString: strerror(error)))")
        }
        return Double(nanoseconds) / Double(transitions)
    }
}
