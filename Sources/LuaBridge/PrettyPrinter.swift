import CLua
import CLuaShim

/// How the REPL shows values: tables readably (sorted keys, nested, on one line when they fit),
/// anything with a `__tostring` (regions, statistics) by its own description.
enum PrettyPrinter {
    private static let registryKey = "pagelab.bridge.show"

    /// Pushes the `show(...)` function, compiling it the first time in this VM.
    static func pushShow(_ vm: LuaVM) {
        let state = vm.state
        lua_pushstring(state, registryKey)
        lua_rawget(state, shim_registryindex())
        if lua_type(state, -1) == LUA_TFUNCTION { return }
        shim_pop(state, 1)
        do {
            try vm.load(source, chunkName: "=[show]")
            let status = shim_docall(state, 0, 1)
            guard status == LUA_OK else { throw vm.popError(status: status) }
        } catch {
            preconditionFailure("the pretty printer does not compile: \(error)")
        }
        lua_pushstring(state, registryKey)
        lua_pushvalue(state, -2)
        lua_rawset(state, shim_registryindex())
    }

    private static let source = #"""
        local keywords = {}
        for word in ([[and break do else elseif end false for function goto if in local nil not or
          repeat return then true until while]]):gmatch("%a+") do keywords[word] = true end

        local function order(a, b)
          local ta, tb = type(a), type(b)
          if ta ~= tb then return ta < tb end
          if ta == "number" or ta == "string" then return a < b end
          return tostring(a) < tostring(b)
        end

        local show
        local function key_text(k, seen)
          if type(k) == "string" and k:match("^[%a_][%w_]*$") and not keywords[k] then return k end
          return "[" .. show(k, 0, seen, 99) .. "]"
        end

        function show(v, indent, seen, depth)
          local kind = type(v)
          if kind == "string" then return string.format("%q", v) end
          if kind ~= "table" or getmetatable(v) ~= nil then return tostring(v) end
          if seen[v] then return "<cycle>" end
          if depth > 4 then return "{...}" end
          seen[v] = true
          local parts, n = {}, rawlen(v)
          for i = 1, n do parts[#parts + 1] = show(rawget(v, i), indent + 2, seen, depth + 1) end
          local keys = {}
          for k in next, v do
            if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
          end
          table.sort(keys, order)
          for _, k in ipairs(keys) do
            parts[#parts + 1] = key_text(k, seen) .. " = " .. show(rawget(v, k), indent + 2, seen, depth + 1)
          end
          seen[v] = nil
          if #parts == 0 then return "{}" end
          local line = "{ " .. table.concat(parts, ", ") .. " }"
          if #line + indent <= 100 and not line:find("\n") then return line end
          local pad = string.rep(" ", indent + 2)
          return "{\n" .. pad .. table.concat(parts, ",\n" .. pad) .. "\n" .. string.rep(" ", indent) .. "}"
        end

        return function(...)
          local out = {}
          for i = 1, select("#", ...) do
            local v = select(i, ...)
            out[i] = type(v) == "string" and v or show(v, 0, {}, 0)
          end
          return table.concat(out, "\t")
        end
        """#
}
