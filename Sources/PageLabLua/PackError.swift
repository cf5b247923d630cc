/// Why `pagelab plugin pack|install|remove|new` refused: a sentence for the user.
public struct PackError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
