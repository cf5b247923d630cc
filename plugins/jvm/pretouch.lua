-- -XX:+AlwaysPreTouch against lazy touch (hotspot.md §7): a JVM with -Xms = -Xmx commits its whole
-- heap at boot, but commits are promises; pages become resident only when touched. AlwaysPreTouch
-- touches every page at boot with the GC workers in 4 MiB chunks (17: a byte store per page,
-- 21: an atomic add of 0); with -XX:+UseTransparentHugePages the heap is madvised first and each
-- 2 MiB extent takes a single fault. Boot time and resident heap for each combination.
local pl = require "pagelab"
local jvm = require "pagelab.jvm"

return {
  description = "-XX:+AlwaysPreTouch against lazy touch, with and without -XX:+UseTransparentHugePages",
  params = {
    { name = "heap", type = "size", default = "1g", help = "-Xms and -Xmx" },
    { name = "jdk", type = "integer", default = 17, choices = { 17, 21, 25 }, help = "HotSpot release to model" },
  },
  run = function(p)
    local size = pl.format(p.heap):lower()
    local cases = {
      { "lazy", {} },
      { "pretouch", { "-XX:+AlwaysPreTouch" } },
      { "lazy, THP", { "-XX:+UseTransparentHugePages" } },
      { "pretouch, THP", { "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages" } },
    }
    local rows = {}
    print(("%-16s %10s %12s %12s %10s"):format("case", "boot", "committed", "resident", "huge"))
    for _, case in ipairs(cases) do
      local options = { "-Xms" .. size, "-Xmx" .. size, jdk = p.jdk }
      for _, flag in ipairs(case[2]) do options[#options + 1] = flag end
      local started = pl.now()
      local vm <close> = jvm.boot(options)
      local elapsed = (pl.now() - started) / 1e9
      local report = vm:report()
      local heap = report.nmt["Java Heap"]
      local huge = 0
      for _, area in ipairs(report.areas) do
        if area.category == "Java Heap" then huge = huge + area.huge end
      end
      print(("%-16s %8.1f ms %12s %12s %10s"):format(case[1], elapsed * 1000, pl.format(heap.committed),
        pl.format(heap.resident), pl.format(huge)))
      rows[#rows + 1] = { case = case[1], boot_ms = elapsed * 1000, committed = heap.committed,
                          resident = heap.resident, huge = huge }
      vm:close()
    end
    pl.record("cases", rows)
  end,
}
