/// Every error PageCore throws: what went wrong (`kind`, for programs) and a sentence for people
/// (`message`, which names the region, range, value or call involved).
public struct PageError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A value the caller passed is unusable; `parameter` names it ("size", "offset",
        /// "length", "stride", "threads", "at", "align", "protection" or "advice").
        case invalidArgument(parameter: String)
        /// The operation would exceed the commit budget (see `CommitBudget`); nothing was touched.
        case budget
        /// A SIGSEGV or SIGBUS inside the operated range, caught by the fault trap.
        case fault
        /// A system call failed with `errno`.
        case system(errno: Int32)
        /// A SIGINT (Ctrl-C) arrived while the operation ran; it stopped early.
        case interrupted
        /// The region was closed before this call.
        case closed
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

extension PageError {
    static func invalid(_ parameter: String, _ message: String) -> PageError {
        PageError(.invalidArgument(parameter: parameter), message)
    }

    /// A failed call: `context` says what was being done, the errno text follows.
    static func system(_ errno: Errno, _ context: String) -> PageError {
        PageError(.system(errno: errno.code), "\(context): \(errno.text)")
    }

    static let interrupted = PageError(.interrupted, "interrupted!")
}

/// `0x` and lower-case hexadecimal, the way addresses and offsets appear in messages.
func hex<T: BinaryInteger>(_ value: T) -> String {
    "0x" + String(value, radix: 16)
}
