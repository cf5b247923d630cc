import LuaBridge
import PageCore

extension LuaCall {
    /// A size: a non-negative integer, or a string such as "4k", "256M", "8g" (DESIGN §3).
    func size(_ position: Int32) throws -> Int {
        if let value = integerValue(at: position) {
            guard value >= 0 else {
                throw LuaArgumentError(position: position, message: "invalid size \(value) (must not be negative)")
            }
            return value
        }
        if let text = string(at: position) {
            do {
                return try ByteSize.parse(text)
            } catch {
                throw LuaArgumentError(position: position, message: error.message)
            }
        }
        throw typeError(position, expected: "size")
    }

    func optionalSize(_ position: Int32) throws -> Int? {
        isNoneOrNil(position) ? nil : try size(position)
    }
}

extension LuaOptions {
    /// A size-valued option.
    func size(_ key: String) throws -> Int? {
        try integerOrString(key, expected: "size") { value in
            switch value {
            case .integer(let number):
                guard number >= 0 else { throw LuaRaise("option '\(key)': invalid size \(number) (must not be negative)") }
                return number
            case .string(let text):
                do { return try ByteSize.parse(text) } catch { throw LuaRaise("option '\(key)': \(error)") }
            }
        }
    }
}

/// Runs a PageCore operation for a Lua function whose arguments sit at `positions` (by PageCore's
/// parameter name), so that a bad value becomes `bad argument #n to 'f' (...)` and every other
/// failure an ordinary error with the script's position.
func mapErrors<T>(_ positions: [String: Int32], _ operation: () throws -> T) throws -> T {
    do {
        return try operation()
    } catch let error as PageError {
        if case .invalidArgument(let parameter) = error.kind, let position = positions[parameter] {
            throw LuaArgumentError(position: position, message: error.message)
        }
        throw LuaRaise(error.message)
    }
}
