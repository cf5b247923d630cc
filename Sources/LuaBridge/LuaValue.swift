import CLua
import CLuaShim

/// A Lua value copied into Swift: what a script hands to `pl.record`, what a chunk returns, what a
/// manifest declares. Tables split into their sequence part (keys 1...n) and a record part whose
/// keys are strings; other keys (integers outside the sequence, floats, booleans) become their
/// decimal or `tostring` text, since every consumer (JSON, reports) keys by string.
public enum LuaValue: Equatable, Sendable {
    case `nil`
    case boolean(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case table(array: [LuaValue], record: [String: LuaValue])
    /// A function, userdata or thread, kept only as its description.
    case opaque(String)

    /// How deep tables may nest before reading gives up (a cycle, or a mistake).
    public static let maximumDepth = 64

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var integerValue: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The field `key` of a table, or nil.
    public subscript(key: String) -> LuaValue? {
        if case .table(_, let record) = self { return record[key] }
        return nil
    }

    /// Reads the value at `index` without running any metamethod.
    static func read(from state: OpaquePointer, at index: Int32, depth: Int = 0) throws -> LuaValue {
        switch lua_type(state, index) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(state, index) != 0)
        case LUA_TNUMBER:
            var exact: Int32 = 0
            let integer = lua_tointegerx(state, index, &exact)
            if lua_isinteger(state, index) != 0, exact != 0 { return .integer(Int(integer)) }
            return .number(lua_tonumberx(state, index, nil))
        case LUA_TSTRING:
            return .string(LuaCall(state).string(at: index) ?? "")
        case LUA_TTABLE:
            return try readTable(from: state, at: lua_absindex(state, index), depth: depth)
        default:
            let pointer = lua_topointer(state, index).map { String(UInt(bitPattern: $0), radix: 16) } ?? "0"
            return .opaque("\(LuaCall(state).typeName(index)): 0x\(pointer)")
        }
    }

    private static func readTable(from state: OpaquePointer, at table: Int32, depth: Int) throws -> LuaValue {
        guard depth < maximumDepth else {
            throw LuaRaise("table nested deeper than \(maximumDepth) levels (a cycle?)")
        }
        guard lua_checkstack(state, 4) != 0 else { throw LuaRaise("stack overflow reading a table") }
        let length = Int(lua_rawlen(state, table))
        var array: [LuaValue] = []
        array.reserveCapacity(length)
        for position in 0..<length {
            lua_rawgeti(state, table, lua_Integer(position + 1))
            defer { shim_pop(state, 1) }
            array.append(try read(from: state, at: -1, depth: depth + 1))
        }
        var record: [String: LuaValue] = [:]
        lua_pushnil(state)
        while lua_next(state, table) != 0 {
            defer { shim_pop(state, 1) }  // the value; the key stays for lua_next
            if let index = integerKey(state), index >= 1, index <= length { continue }
            let key = try keyText(state)
            record[key] = try read(from: state, at: -1, depth: depth + 1)
        }
        return .table(array: array, record: record)
    }

    private static func integerKey(_ state: OpaquePointer) -> Int? {
        guard lua_isinteger(state, -2) != 0 else { return nil }
        return Int(lua_tointegerx(state, -2, nil))
    }

    /// The key below the value on top, as text. It is read from a copy: converting the key in
    /// place would confuse `lua_next`.
    private static func keyText(_ state: OpaquePointer) throws -> String {
        switch try read(from: state, at: -2, depth: maximumDepth - 1) {
        case .string(let text): return text
        case .integer(let value): return String(value)
        case .number(let value): return String(value)
        case .boolean(let value): return String(value)
        case .opaque(let text): return text
        case .nil, .table: return "?"
        }
    }

    /// Pushes the value; tables become fresh tables.
    func push(onto state: OpaquePointer) {
        switch self {
        case .nil: lua_pushnil(state)
        case .boolean(let value): lua_pushboolean(state, value ? 1 : 0)
        case .integer(let value): lua_pushinteger(state, lua_Integer(value))
        case .number(let value): lua_pushnumber(state, value)
        case .string(let text), .opaque(let text): _ = text.withCString { lua_pushstring(state, $0) }
        case .table(let array, let record):
            lua_checkstack(state, 3)
            lua_createtable(state, Int32(clamping: array.count), Int32(clamping: record.count))
            for (position, element) in array.enumerated() {
                element.push(onto: state)
                lua_rawseti(state, -2, lua_Integer(position + 1))
            }
            for (key, element) in record {
                _ = key.withCString { lua_pushstring(state, $0) }
                element.push(onto: state)
                lua_rawset(state, -3)
            }
        }
    }
}

/// Thrown by a Swift function called from Lua to raise an ordinary error. The trampoline prefixes
/// the script's `chunk:line:` as `luaL_error` does.
public struct LuaRaise: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
