/// An error the JVM itself would report for a command line or a layout it cannot build, in the
/// JVM's own words and on the JVM's own streams (`runtime/arguments.cpp`,
/// `runtime/flags/jvmFlagAccess.cpp`, `gc/shared/gcArguments.cpp`, `runtime/java.cpp`).
public struct JVMError: Error, CustomStringConvertible, Equatable {
    /// When the JVM finds the problem, which decides how `java` reports it.
    public enum Stage: Sendable, Equatable {
        /// While parsing arguments: the message on standard error, then "Error: Could not
        /// create the Java Virtual Machine."
        case arguments
        /// During initialization (`vm_exit_during_initialization`): "Error occurred during
        /// initialization of VM" and the message on standard output.
        case initialization
        /// While creating the main thread: the message on standard output after a blank line,
        /// the closing lines on standard error (the thread stack size check).
        case threadCreation
        /// A commit the kernel refused (`os::commit_memory_or_exit`): a warning on standard
        /// error, the fatal error banner on standard output.
        case commitFailed(address: UInt, bytes: Int, errno: Int32)
    }

    /// What is wrong, e.g. `Unrecognized VM option 'FooBar'`; possibly several lines.
    public let message: String
    public let stage: Stage

    public init(_ message: String, stage: Stage = .arguments) {
        self.message = message
        self.stage = stage
    }

    public var description: String { message }

    static let closing = "Error: Could not create the Java Virtual Machine.\nError: A fatal exception has occurred. Program will exit.\n"

    /// What `java` prints on standard output before exiting with status 1.
    public var standardOutput: String {
        switch stage {
        case .arguments: ""
        case .initialization: "Error occurred during initialization of VM\n" + message + "\n"
        case .threadCreation: "\n" + message + "\n"
        case .commitFailed(_, let bytes, _):
            "#\n# There is insufficient memory for the Java Runtime Environment to continue.\n"
                + "# Native memory allocation (mmap) failed to map \(bytes) bytes. Error detail: committing reserved memory.\n"
        }
    }

    /// What `java` prints on standard error before exiting with status 1.
    public var standardError: String {
        switch stage {
        case .arguments: message + "\n" + Self.closing
        case .initialization: ""
        case .threadCreation: Self.closing
        case .commitFailed(let address, let bytes, let errno):
            "OpenJDK 64-Bit Server VM warning: INFO: os::commit_memory(\(JVM.pointer(address)), \(bytes), 0) failed; error='\(message)' (errno=\(errno))\n"
        }
    }
}
