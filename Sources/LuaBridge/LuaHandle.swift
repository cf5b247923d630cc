import CLua
import CLuaShim

/// A kind of Swift object handed to Lua as a userdata handle, after `liolib.c`'s file handles:
/// the userdata holds one pointer slot, created empty ("closed") before the object is stored, so
/// that a failure in between leaves nothing half-owned; `__gc`, `__close` and the `close` method
/// share one idempotent release; every method checks for "closed".
public final class LuaHandleType<Object: AnyObject> {
    /// The `__name` of the metatable, used in type errors (`region expected, got table`).
    public let name: String
    /// The class editors show (`pagelab.Region`) and what it stands for.
    public let className: String
    public let summary: String
    private let methods: [LuaMethod<Object>]
    private let properties: [String: LuaProperty<Object>]
    private let propertyOrder: [LuaField]
    private let describe: (Object) -> String
    private let release: (Object) -> Void

    /// The `close` every handle has, as its method list documents it.
    private static var closeSignature: LuaSignature {
        LuaSignature(name: "close", parameters: [], returns: nil,
                     summary: "Releases what the handle holds now rather than at collection; closing twice is harmless.")
    }

    /// - Parameters:
    ///   - methods: called as `handle:name(...)`; names are unique.
    ///   - properties: read as `handle.name`.
    ///   - describe: the text of `tostring(handle)` while open.
    ///   - release: frees what the object holds; runs once, from `close`, `__close` or `__gc`.
    public init(
        name: String,
        className: String,
        summary: String,
        methods: [LuaMethod<Object>],
        properties: [LuaProperty<Object>],
        describe: @escaping (Object) -> String,
        release: @escaping (Object) -> Void
    ) {
        self.name = name
        self.className = className
        self.summary = summary
        precondition(Set(methods.map(\.name)).count == methods.count, "\(name): two methods of one name")
        self.methods = methods
        self.properties = Dictionary(uniqueKeysWithValues: properties.map { ($0.field.name, $0) })
        propertyOrder = properties.map(\.field)
        self.describe = describe
        self.release = release
    }

    /// Creates the metatable in `vm`. Must run once per VM before `push`.
    public func register(in vm: LuaVM) {
        let state = vm.state
        vm.registerMetatable(
            name,
            fields: [
                "__index": { [self] call in try index(call) },
                "__gc": { [self] call in releaseSlot(call); return 0 },
                "__close": { [self] call in releaseSlot(call); return 0 },
                "__tostring": { [self] call in
                    let object = slot(call, 1).flatMap { $0.pointee }
                    call.push(object.map { describe(Unmanaged<Object>.fromOpaque($0).takeUnretainedValue()) }
                        ?? "\(name) (closed)")
                    return 1
                },
            ])
        // The methods table lives in the metatable under a private key; `close` is the shared release.
        _ = name.withCString { shim_getmetatable(state, $0) }
        lua_pushstring(state, "__methods")
        lua_createtable(state, 0, Int32(methods.count + 1))
        for method in methods {
            let body = method.body
            _ = method.name.withCString { lua_pushstring(state, $0) }
            pushFunction(state) { [self] call in try body(object(call, 1), call) }
            lua_rawset(state, -3)
        }
        lua_pushstring(state, "close")
        pushFunction(state) { [self] call in
            guard slot(call, 1) != nil else { throw call.typeError(1, expected: name) }
            releaseSlot(call)
            return 0
        }
        lua_rawset(state, -3)
        lua_rawset(state, -3)
        shim_pop(state, 1)
        vm.catalog.classes.append(LuaCatalog.HandleClass(
            metatable: name, className: className, summary: summary,
            methods: methods.map(\.signature) + [Self.closeSignature], fields: propertyOrder))
    }

    /// Pushes a handle that owns a retain of `object`.
    public func push(_ object: Object, on call: LuaCall) {
        let state = call.state
        let raw = lua_newuserdatauv(state, MemoryLayout<UnsafeMutableRawPointer?>.size, 0)!
        let slot = raw.bindMemory(to: UnsafeMutableRawPointer?.self, capacity: 1)
        slot.initialize(to: nil)
        name.withCString { luaL_setmetatable(state, $0) }
        slot.pointee = Unmanaged.passRetained(object).toOpaque()
    }

    /// The open object at `position`; a type error or "attempt to use a closed ..." otherwise.
    public func object(_ call: LuaCall, _ position: Int32) throws -> Object {
        guard let slot = slot(call, position) else { throw call.typeError(position, expected: name) }
        guard let pointer = slot.pointee else { throw LuaRaise("attempt to use a closed \(name)") }
        return Unmanaged<Object>.fromOpaque(pointer).takeUnretainedValue()
    }

    private func slot(_ call: LuaCall, _ position: Int32) -> UnsafeMutablePointer<UnsafeMutableRawPointer?>? {
        let raw = name.withCString { luaL_testudata(call.state, position, $0) }
        return raw?.bindMemory(to: UnsafeMutableRawPointer?.self, capacity: 1)
    }

    private func releaseSlot(_ call: LuaCall) {
        guard let slot = slot(call, 1), let pointer = slot.pointee else { return }
        slot.pointee = nil
        release(Unmanaged<Object>.fromOpaque(pointer).takeRetainedValue())
    }

    private func index(_ call: LuaCall) throws -> Int32 {
        guard let key = call.string(at: 2) else {
            call.pushNil()
            return 1
        }
        if let property = properties[key] {
            property.read(try object(call, 1), call)
            return 1
        }
        guard lua_getmetatable(call.state, 1) != 0 else {
            call.pushNil()
            return 1
        }
        lua_pushstring(call.state, "__methods")
        lua_rawget(call.state, -2)
        lua_pushvalue(call.state, 2)
        lua_rawget(call.state, -2)
        return 1
    }
}
