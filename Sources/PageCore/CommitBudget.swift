/// How much memory PageLab may make resident, so that no scenario can push the machine into the
/// OOM killer (DESIGN §2). Checked before anything that faults pages in (touch, populate,
/// collapse, lock), against the bytes charged by all live regions of an address space.
///
/// Two limits apply: the cap (`limit`), and a live floor: whatever the cap, `reserve` bytes of
/// MemAvailable must stay free at the moment of every check.
public struct CommitBudget: Sendable, Equatable {
    /// The most bytes the address space's regions may have charged at once.
    public var limit: Int
    /// MemAvailable that must stay free: max(2 GiB, MemTotal / 10).
    public var reserve: Int
    /// Whether `limit` was given (--budget) rather than derived from MemAvailable at start.
    public var isExplicit: Bool

    /// The default: MemAvailable now minus the reserve.
    public static func standard() -> CommitBudget {
        let memory = MemInfo.current()
        let reserve = reserve(memTotal: memory.total)
        return CommitBudget(limit: max(0, memory.available - reserve), reserve: reserve, isExplicit: false)
    }

    /// An explicit cap (--budget SIZE); the live floor still applies.
    public init(limit: Int) {
        self.init(limit: limit, reserve: Self.reserve(memTotal: MemInfo.current().total), isExplicit: true)
    }

    private init(limit: Int, reserve: Int, isExplicit: Bool) {
        self.limit = limit
        self.reserve = reserve
        self.isExplicit = isExplicit
    }

    static func reserve(memTotal: Int) -> Int {
        max(2 << 30, memTotal / 10)
    }

    /// Throws `.budget` unless `charge` more bytes fit: under the cap together with the
    /// `charged` bytes already held, and within MemAvailable (`available`) minus the reserve.
    /// `operation` reads like "touch of 64M in region 'heap'"; it is formatted only for an error.
    func check(charge: Int, charged: Int, available: Int, operation: @autoclosure () -> String) throws(PageError) {
        let total = charged + charge
        if total > limit {
            let origin = isExplicit ? "set --budget to change it"
                : "keeping \(ByteSize.format(reserve)) of MemAvailable free; set --budget to change it"
            throw PageError(.budget, "commit budget exceeded: \(operation()) would bring PageLab to "
                + "\(ByteSize.format(total)) resident, over the budget of \(ByteSize.format(limit)) (\(origin))")
        }
        if charge > available - reserve {
            throw PageError(.budget, "commit budget exceeded: \(operation()) needs \(ByteSize.format(charge)) more, "
                + "but MemAvailable is \(ByteSize.format(available)) and \(ByteSize.format(reserve)) of it must stay free")
        }
    }
}
