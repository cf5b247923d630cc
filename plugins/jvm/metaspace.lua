-- Metaspace at run time (hotspot.md §3). Each class loader allocates from its own arena: chunks
-- of the buddy allocator (16 MiB root chunks split down to 1 KiB, 15 levels), growing 4K, 4K,
-- 4K, 8K, 16K for an ordinary loader (2K... in the class space). Chunks are committed on demand
-- in 64 KiB granules, and only what is written becomes resident. Committing past the GC
-- high-water mark (MetaspaceSize = 21M at first) makes the JVM collect ("Metadata GC
-- Threshold") and raise the mark. Unloading a loader returns its chunks, which merge with their
-- free buddies; free chunks of a granule or more are uncommitted; only JDK 17 also unmaps a node
-- that became empty (18+ never gives address space back). MaxMetaspaceSize ends in
-- OutOfMemoryError: Metaspace.
local pl = require "pagelab"
local jvm = require "pagelab.jvm"

local function show(vm, step)
  local m = vm:metaspace()
  local class = m.class or { used = 0, committed = 0, resident = 0, reserved = 0 }
  print(string.format("%-24s %8s %9s %8s %8s %6s | %7s %9s %8s | %7s", step,
    pl.format(m.non_class.used), pl.format(m.non_class.committed), pl.format(m.non_class.resident),
    pl.format(m.non_class.reserved), m.non_class.nodes, pl.format(class.used), pl.format(class.committed),
    pl.format(class.resident), pl.format(m.capacity_until_gc)))
  return m
end

return {
  description = "Metaspace growth and class unloading: chunks, granules, the GC high-water mark, reclaim per JDK",
  params = {
    { name = "jdk", type = "integer", default = 17, help = "JDK release: 17, 21 or 25" },
    { name = "loaders", type = "integer", default = 4, help = "class loaders that load classes" },
    { name = "classes", type = "integer", default = 1500, help = "classes each loader loads" },
    { name = "nonclass", type = "size", default = "12k", help = "non-class metadata per class (methods, constant pool)" },
    { name = "class", type = "size", default = "700", help = "class-space metadata per class (the Klass)" },
    { name = "max", type = "size", default = "0", help = "-XX:MaxMetaspaceSize (0 leaves it unlimited)" },
  },
  run = function(p)
    local flags = { "-Xmx256m", jdk = p.jdk }
    if p.max > 0 then flags[#flags + 1] = "-XX:MaxMetaspaceSize=" .. p.max end
    local vm <close> = jvm.boot(flags)
    print(string.format("%-24s %8s %9s %8s %8s %6s | %7s %9s %8s | %7s", "", "used", "committed", "resident",
      "reserved", "nodes", "class", "committed", "resident", "HWM"))
    local boot = show(vm, "after boot")
    local rows = { { step = "boot", metaspace = boot } }

    for i = 1, p.loaders do
      local name = "loader-" .. i
      local ok, result = pcall(vm.load_classes, vm, name, p.classes, p.nonclass, p.class)
      if not ok then
        print("  " .. tostring(result))
        break
      end
      local m = show(vm, string.format("%s: %d classes", name, p.classes))
      if #result.collections > 0 then
        print(string.format("  %d collections (Metadata GC Threshold) raised the high-water mark step by step; the last:", #result.collections))
        print("  " .. result.collections[#result.collections])
      end
      rows[#rows + 1] = { step = name, metaspace = m, collections = #result.collections }
    end

    print()
    local loaders = vm:loaders()
    if loaders[2] then
      local counts, order = {}, {}
      for _, size in ipairs(loaders[2].chunks) do
        if not counts[size] then order[#order + 1] = size end
        counts[size] = (counts[size] or 0) + 1
      end
      local parts = {}
      for _, size in ipairs(order) do parts[#parts + 1] = string.format("%s x%d", pl.format(size), counts[size]) end
      print(string.format("Chunks of %s (non-class, then class), in the order they came: %s", loaders[2].name, table.concat(parts, ", ")))
    end
    print("Non-class chunks per buddy level (free / in use):")
    for _, level in ipairs(vm:chunks()) do
      if level.free + level.in_use > 0 then
        print(string.format("  level %2d %6s  %5d free %6d in use", level.level, pl.format(level.size), level.free, level.in_use))
      end
    end

    print()
    local unloads = {}
    for _, loader in ipairs(loaders) do
      if loader.name ~= "boot" then
        local u = vm:unload(loader.name)
        unloads[#unloads + 1] = u
        print(string.format("unload %-10s committed %8s -> %8s  reserved %8s -> %8s  nodes unmapped %d", loader.name,
          pl.format(u.committed_before), pl.format(u.committed_after), pl.format(u.reserved_before),
          pl.format(u.reserved_after), u.nodes_unmapped))
      end
    end
    rows[#rows + 1] = { step = "unloaded", metaspace = show(vm, "after unloading") }
    print(p.jdk == 17 and "JDK 17 unmaps nodes that became empty; the boot loader's metadata keeps the first one."
      or "From JDK 18 reserved metaspace never shrinks: only committed memory is given back.")

    if p.max > 0 then
      print()
      print("Loading until MaxMetaspaceSize:")
      local ok, message = pcall(vm.load_classes, vm, "leaky", 1000000, p.nonclass, p.class)
      print("  " .. (ok and "no error?" or tostring(message)))
      pl.record("oom", not ok and tostring(message) or nil)
      show(vm, "at the limit")
    end

    pl.record("steps", rows)
    pl.record("unloads", unloads)
  end,
}
