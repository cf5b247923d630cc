/// An error the JVM itself would report for a command line or a layout it cannot build, in the
/// JVM's own words (`runtime/arguments.cpp`, `runtime/flags/jvmFlagAccess.cpp`,
/// `gc/shared/gcArguments.cpp`).
public struct JVMError: Error, CustomStringConvertible, Equatable {
    /// When the JVM finds the problem, which decides how `java` reports it.
    public enum Stage: Sendable, Equatable {
        /// While parsing arguments: the message, then "Error: Could not create the Java Virtual Machine."
        case arguments
        /// During initialization (`vm_exit_during_initialization`): "Error occurred during
        /// initialization of VM", then the message.
        case initialization
    }

    /// The line that says what is wrong, e.g. `Unrecognized VM option 'FooBar'`.
    public let message: String
    public let stage: Stage

    public init(_ message: String, stage: Stage = .arguments) {
        self.message = message
        self.stage = stage
    }

    public var description: String { message }

    /// What `java` prints on its error stream before exiting with status 1.
    public var javaOutput: String {
        switch stage {
        case .arguments:
            message + "\nError: Could not create the Java Virtual Machine.\nError: A fatal exception has occurred. Program will exit.\n"
        case .initialization:
            "Error occurred during initialization of VM\n" + message + "\n"
        }
    }
}
