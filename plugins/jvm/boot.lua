-- Boots a JVM model from real flags and shows where its native memory goes: NMT's summary with
-- the resident bytes NMT cannot tell, the -Xlog:pagesize lines, and the heap's placement and oop
-- encoding. Compare with the real thing:
--   java -XX:NativeMemoryTracking=summary -XX:+UnlockDiagnosticVMOptions -XX:+PrintNMTStatistics \
--        -Xlog:pagesize,gc+heap+coops=debug FLAGS -version
local pl = require "pagelab"
local jvm = require "pagelab.jvm"

return {
  description = "Every area a JVM maps at startup for the given flags, as NMT reports it, with resident pages",
  params = {
    { name = "flags", type = "string", default = "-Xmx8g -XX:+UseG1GC", help = "JVM options, space-separated" },
    { name = "jdk", type = "integer", default = 17, choices = { 17, 21, 25 }, help = "HotSpot release to model" },
  },
  run = function(p)
    local options = { jdk = p.jdk }
    for option in p.flags:gmatch("%S+") do options[#options + 1] = option end
    local vm <close> = jvm.boot(options)
    local heap = vm.heap
    print(("JDK %d, %s: heap %s at 0x%x, compressed oops %s (shift %d)%s"):format(
      vm.jdk, vm.collector, pl.format(heap.size), heap.base, heap.coops_mode, heap.coops_shift,
      heap.region_size > 0 and (", regions of " .. pl.format(heap.region_size)) or ""))
    for _, line in ipairs(vm:log()) do print("  " .. line) end
    print()
    print(vm:summary())
    local nmt = vm:nmt()
    local committed, resident = 0, 0
    for _, category in pairs(nmt) do
      committed = committed + category.committed
      resident = resident + category.resident
    end
    print(("Committed %s, resident %s: committed memory is a promise, resident memory is RSS."):format(
      pl.format(committed), pl.format(resident)))
    pl.record("heap", heap)
    pl.record("nmt", nmt)
  end,
}
