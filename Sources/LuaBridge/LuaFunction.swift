import CLua
import CLuaShim

/// The body of a Swift function callable from Lua. It reads its arguments from the call, pushes
/// its results and returns how many. It reports failure only by throwing: it must never call a
/// Lua API function that can raise (lua-embedding.md §0).
public typealias LuaBody = (LuaCall) throws -> Int32

/// A function as registered: its body plus what editors and `pagelab meta` show of it.
public struct LuaFunction {
    public let name: String
    /// Parameter names and types in LuaLS notation (`size: integer|string`), in order.
    public let parameters: [String]
    /// The return type in LuaLS notation, or nil when it returns nothing.
    public let returns: String?
    public let summary: String
    public let body: LuaBody

    public init(
        _ name: String, parameters: [String] = [], returns: String? = nil, summary: String,
        body: @escaping LuaBody
    ) {
        self.name = name
        self.parameters = parameters
        self.returns = returns
        self.summary = summary
        self.body = body
    }

    public var signature: LuaSignature { LuaSignature(name: name, parameters: parameters, returns: returns, summary: summary) }
}

/// Keeps a body alive for as long as Lua's collector keeps its closure.
final class FunctionBox {
    let body: LuaBody
    init(_ body: @escaping LuaBody) { self.body = body }
}

/// The one C-callable entry for every Swift function. Errors leave as return codes: by the time
/// the trampoline raises, this frame and everything it retained are gone.
private let dispatch: shim_Body = { state, context in
    guard let state, let context else { return SHIM_RAISE }
    do {
        // Lua's collector keeps the box alive for the whole call: no retain needed.
        return try Unmanaged<FunctionBox>.fromOpaque(context)._withUnsafeGuaranteedRef { try $0.body(LuaCall(state)) }
    } catch let error as LuaArgumentError {
        lua_pushinteger(state, lua_Integer(error.position))
        _ = error.message.withCString { lua_pushstring(state, $0) }
        return SHIM_ARGERROR
    } catch {
        _ = String(describing: error).withCString { lua_pushstring(state, $0) }
        return SHIM_RAISE
    }
}

private let releaseBox: shim_Release = { context in
    guard let context else { return }
    Unmanaged<FunctionBox>.fromOpaque(context).release()
}

/// Pushes `body` as a Lua function.
func pushFunction(_ state: OpaquePointer, _ body: @escaping LuaBody) {
    shim_pushclosure(state, dispatch, Unmanaged.passRetained(FunctionBox(body)).toOpaque(), releaseBox)
}
