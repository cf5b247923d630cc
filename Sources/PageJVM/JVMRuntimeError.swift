import PageCore

/// What the run-time models (`G1Heap`, `Metaspace`) throw: the JVM's own failure, a bad
/// request, or a failure of the memory operation underneath. `description` is the sentence to
/// show; for an out-of-memory error it starts with the JVM's words ("OutOfMemoryError: Metaspace").
public enum JVMRuntimeError: Error, CustomStringConvertible, Equatable {
    /// The JVM would throw `java.lang.OutOfMemoryError` for `space`; `message` names the limit.
    case outOfMemory(space: OutOfMemorySpace, message: String)
    /// A value the caller passed is unusable; `parameter` names it.
    case invalidArgument(parameter: String, message: String)
    /// Committing, touching or unmapping memory failed (commit budget, mmap, Ctrl-C).
    case page(PageError)

    public var description: String {
        switch self {
        case .outOfMemory(_, let message), .invalidArgument(_, let message): message
        case .page(let error): error.message
        }
    }

    /// The PageError of a failed memory operation as it was, for callers that report those
    /// as PageCore's; this error otherwise.
    var underlying: any Error {
        if case .page(let error) = self { return error }
        return self
    }
}

/// The space an `OutOfMemoryError` names, in the JVM's words.
public enum OutOfMemorySpace: String, Sendable {
    case javaHeap = "Java heap space"
    case metaspace = "Metaspace"
    case compressedClassSpace = "Compressed class space"
}
