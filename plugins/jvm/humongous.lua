-- Humongous objects (hotspot.md §0, §1.5): an object is humongous when it is strictly larger than
-- half a region (`word_size > GrainWords / 2`). It takes contiguous regions, the first
-- StartsHumongous and the rest ContinuesHumongous, taken from the bottom of the heap (single
-- regions from the head of the free list); the tail of its last region is wasted. When no run of
-- free regions is long enough, G1 commits more regions before it collects. A young collection
-- reclaims a humongous object that died (eager reclaim).
local pl = require "pagelab"
local jvm = require "pagelab.jvm"

return {
  description = "Humongous objects: strictly more than half a region, contiguous regions, waste, eager reclaim",
  params = {
    { name = "jdk", type = "integer", default = 17, help = "JDK release: 17, 21 or 25" },
    { name = "xmx", type = "size", default = "256m", help = "maximum heap (-Xmx)" },
    { name = "xms", type = "size", default = "16m", help = "initial heap (-Xms)" },
    { name = "region", type = "size", default = "2m", help = "-XX:G1HeapRegionSize" },
  },
  run = function(p)
    local vm <close> = jvm.boot { "-Xmx" .. p.xmx, "-Xms" .. p.xms, "-XX:G1HeapRegionSize=" .. p.region, jdk = p.jdk }
    local r = vm:g1().region_size
    print(string.format("JDK %d, regions of %s: humongous means more than %s", p.jdk, pl.format(r), pl.format(r // 2)))

    local cases = {
      { what = "exactly half a region", size = r // 2 },
      { what = "half a region and 8 bytes", size = r // 2 + 8 },
      { what = "two and a half regions", size = r * 5 // 2 },
      { what = "more than -Xms leaves", size = p.xms },
    }
    local rows = {}
    for _, case in ipairs(cases) do
      local before = vm:g1().committed
      local a = vm:allocate(case.size)
      local first = a.regions[1]
      local spans = a.humongous and math.ceil(case.size / r) or 0
      print(string.format("  %-28s %9s  %-13s region %3d%s%s", case.what, pl.format(case.size),
        a.humongous and "humongous" or "not humongous", first,
        spans > 1 and string.format("..%d", first + spans - 1) or "",
        vm:g1().committed > before and (", heap grew by " .. pl.format(vm:g1().committed - before)) or ""))
      rows[#rows + 1] = { case = case.what, size = case.size, humongous = a.humongous, region = first, regions = spans,
        collections = #a.collections }
    end
    print(vm:region_map())

    local used, committed = 0, 0
    for _, s in ipairs(vm:region_stats()) do
      if s.type == "starts_humongous" or s.type == "continues_humongous" then
        used, committed = used + s.used, committed + s.pages.committed
      end
    end
    print(string.format("  humongous regions: %s used of %s committed, %s wasted in region tails", pl.format(used),
      pl.format(committed), pl.format(committed - used)))

    local dropped = rows[3].region
    vm:drop_humongous(dropped)
    local c = vm:young_gc()
    print(string.format("  the program drops the object at region %d; %s reclaims %d humongous object(s)", dropped, c.log,
      c.reclaimed_humongous))
    print(vm:region_map())

    pl.record("cases", rows)
    pl.record("humongous_used", used)
    pl.record("humongous_committed", committed)
    pl.record("reclaimed", c.reclaimed_humongous)
  end,
}
