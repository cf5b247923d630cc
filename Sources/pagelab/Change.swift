import Foundation
import PageLabLua

/// One figure in two results, shown as NMT's summary.diff shows it: the newer value, then the
/// signed change when there is one (`committed=524288KB +262144KB`).
struct Change {
    let from: Int
    let to: Int

    var delta: Int { to - from }

    /// In NMT's default scale, KB, with the change computed in that scale as NMT does.
    var kilobytes: String {
        let change = to / 1024 - from / 1024
        return "\(to / 1024)KB" + (change == 0 ? "" : String(format: " %+dKB", change))
    }

    /// A count (faults, results): the newer value and the signed change.
    var count: String { "\(to)" + (delta == 0 ? "" : String(format: " %+d", delta)) }

    var json: JSON { .object([("from", .int(from)), ("to", .int(to)), ("delta", .int(delta))]) }
}
