/// The Lua half of the sandbox: it runs once in a fresh state, before any code of the pack, and
/// replaces what a shared pack may not use with stubs that raise at the caller's line, naming the
/// function and the pack. Everything it relies on later is captured in locals first, so a script
/// that rewrites `string` or `io` afterwards cannot reach the originals.
enum SandboxPrelude {
    static let chunkName = "=sandbox"

    /// Called with the pack's name and output folder (`pl.output`, nil for a manifest); finds the path check (`check(path, access, api)` returns the
    /// resolved path, or nil and the reason) in `package.loaded`, and takes it away from scripts.
    static let source = #"""
    local pack, output = ...
    if output and package.loaded.pagelab then package.loaded.pagelab.output = output end
    local check = package.loaded[\#(Sandbox.checkModule)].check
    package.loaded[\#(Sandbox.checkModule)] = nil
    local error, format, type, select, rawget, pairs, tostring = error, string.format, type, select, rawget, pairs, tostring
    local real_setmetatable, real_collectgarbage = setmetatable, collectgarbage
    local real_load, real_loadfile = load, loadfile
    local open, lines, input, output = io.open, io.lines, io.input, io.output

    local function unavailable(what)
      return format("%s is not available in the sandbox of pack '%s' (run with --trust to allow it)", what, pack)
    end
    local function stub(name)
      return function() error(unavailable(name), 2) end
    end
    -- Raises at the line that called the wrapper `api`, or returns the resolved path.
    local function confined(api, path, access)
      local resolved, reason = check(path, access, api)
      if not resolved then error(reason, 3) end
      return resolved
    end

    for _, name in pairs { "execute", "exit", "remove", "rename", "tmpname", "getenv", "setlocale" } do
      os[name] = stub("os." .. name)
    end
    io.popen = stub("io.popen")
    io.open = function(path, mode)
      local writes = type(mode) == "string" and mode:find("[wa+]") ~= nil
      return open(confined("io.open", path, writes and "write" or "read"), mode)
    end
    io.lines = function(...)
      if select("#", ...) == 0 or (...) == nil then return lines(...) end
      return lines(confined("io.lines", (...), "read"), select(2, ...))
    end
    io.input = function(file)
      if type(file) == "string" then return input(confined("io.input", file, "read")) end
      return input(file)
    end
    io.output = function(file)
      if type(file) == "string" then return output(confined("io.output", file, "write")) end
      return output(file)
    end

    for name in pairs(debug) do
      if name ~= "traceback" then debug[name] = stub("debug." .. name) end
    end
    package.loadlib = stub("package.loadlib")
    string.dump = stub("string.dump")

    -- Text chunks only: a binary chunk can crash the VM.
    load = function(chunk, name, mode, ...)
      if select("#", ...) > 0 then return real_load(chunk, name, "t", ...) end
      return real_load(chunk, name, "t")
    end
    loadfile = function(file, mode, ...)
      if file ~= nil then file = confined("loadfile", file, "code") end
      if select("#", ...) > 0 then return real_loadfile(file, "t", ...) end
      return real_loadfile(file, "t")
    end
    dofile = function(file)
      if file ~= nil then file = confined("dofile", file, "code") end
      local chunk, message = real_loadfile(file, "t")
      if not chunk then error(message, 0) end
      return chunk()
    end

    local collector = { collect = true, count = true, step = true, isrunning = true }
    collectgarbage = function(option, ...)
      if option ~= nil and not collector[option] then
        error(unavailable(format("collectgarbage(%q)", tostring(option))), 2)
      end
      return real_collectgarbage(option, ...)
    end

    -- Lua runs finalizers with hooks off, so no budget could stop one that loops; and a metatable
    -- marks its object for finalization only if __gc is there when it is set.
    setmetatable = function(object, metatable)
      if type(metatable) == "table" and rawget(metatable, "__gc") ~= nil then
        error(unavailable("a __gc metamethod"), 2)
      end
      return real_setmetatable(object, metatable)
    end
    """#
}
