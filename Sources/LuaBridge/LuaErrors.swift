/// Thrown by a Swift function called from Lua to report a bad argument. The trampoline raises it
/// with `luaL_argerror`, so the message reads like Lua's own:
/// `bad argument #1 to 'reserve' (size expected, got table)`.
public struct LuaArgumentError: Error, CustomStringConvertible, Equatable {
    /// The argument's position as Lua counts it, `self` included for methods.
    public let position: Int32
    /// What `luaL_argerror` puts in parentheses.
    public let message: String

    public init(position: Int32, message: String) {
        self.position = position
        self.message = message
    }

    public var description: String { "bad argument #\(position) (\(message))" }
}

/// An error that left a Lua chunk: a script error, a syntax error, or an error raised by a Swift
/// function and not caught by the script.
public struct LuaScriptError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        case syntax, runtime, memory, handler
    }

    public let kind: Kind
    /// The error message as Lua produced it, usually `chunk:line: message`.
    public let message: String
    /// The stack traceback of the message handler, when there was one.
    public let traceback: String?

    public init(kind: Kind, message: String, traceback: String?) {
        self.kind = kind
        self.message = message
        self.traceback = traceback
    }

    public var description: String { message }
}
