/// What a VM's registrations declared, in registration order: the modules with their functions
/// and the handle classes with their methods and fields. `registerModule` and
/// `LuaHandleType.register` record it themselves, so that `pagelab meta` documents exactly what
/// scripts can call and nothing can be registered without its signature.
public struct LuaCatalog {
    public struct Module {
        public let name: String
        /// The global the module is also bound to (`pl`), if any.
        public let global: String?
        public let functions: [LuaSignature]
    }

    public struct HandleClass {
        /// The metatable's `__name`, which type errors show (`region expected`).
        public let metatable: String
        /// The name editors show (`pagelab.Region`).
        public let className: String
        public let summary: String
        public let methods: [LuaSignature]
        public let fields: [LuaField]
    }

    public internal(set) var modules: [Module] = []
    public internal(set) var classes: [HandleClass] = []
}

/// What editors show of a function or method, in LuaLS notation.
public struct LuaSignature: Equatable, Sendable {
    public let name: String
    /// `name: type`, in order; `name?: type` for one that may be left out.
    public let parameters: [String]
    /// nil when it returns nothing.
    public let returns: String?
    public let summary: String

    public init(name: String, parameters: [String], returns: String?, summary: String) {
        self.name = name
        self.parameters = parameters
        self.returns = returns
        self.summary = summary
    }
}

/// A field of a handle or of a table PageLab returns, in LuaLS notation.
public struct LuaField: Equatable, Sendable {
    public let name: String
    public let type: String
    public let summary: String

    public init(_ name: String, _ type: String, _ summary: String = "") {
        self.name = name
        self.type = type
        self.summary = summary
    }
}
