/// A method of a handle type (`handle:name(...)`) as registered: its body plus what editors and
/// `pagelab meta` show of it. Arguments start at position 2 (the handle is 1); `parameters` lists
/// them from there, without `self`.
public struct LuaMethod<Object: AnyObject> {
    public let name: String
    public let parameters: [String]
    public let returns: String?
    public let summary: String
    public let body: (Object, LuaCall) throws -> Int32

    public init(
        _ name: String, parameters: [String] = [], returns: String? = nil, summary: String,
        body: @escaping (Object, LuaCall) throws -> Int32
    ) {
        self.name = name
        self.parameters = parameters
        self.returns = returns
        self.summary = summary
        self.body = body
    }

    public var signature: LuaSignature { LuaSignature(name: name, parameters: parameters, returns: returns, summary: summary) }
}

/// A field of a handle read as `handle.name`: the body pushes one value of `type`.
public struct LuaProperty<Object: AnyObject> {
    public let field: LuaField
    public let read: (Object, LuaCall) -> Void

    public init(_ name: String, type: String, summary: String, read: @escaping (Object, LuaCall) -> Void) {
        field = LuaField(name, type, summary)
        self.read = read
    }
}
