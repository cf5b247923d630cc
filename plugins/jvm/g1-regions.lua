-- G1's heap at run time (hotspot.md §1.3, §1.5). The boot commits -Xms at the bottom of the
-- reservation, region by region, each region with its share of every side table; on JDK 17 the
-- CDS archive's heap objects sit in archive regions at the very top. The program allocates into
-- eden regions taken from the top of the free list; young collections copy the survivors into
-- survivor regions and, at the tenuring threshold, promote them into old regions at the bottom;
-- freed eden regions keep their pages resident. When the live data grows, collections cannot
-- make room and the heap expands, a region at a time. A full collection compacts the old data
-- down, and the heap shrinks by MaxHeapFreeRatio (never below MinHeapSize, which -Xms sets): the
-- regions it gives up stay committed (inactive) until the G1UncommitRegionTask hands them back,
-- at most 128 MiB per run, the first run 100 ms after the collection and the others 10 ms apart.
local pl = require "pagelab"
local jvm = require "pagelab.jvm"

local function region_stats(vm)
  print(string.format("  %-20s %-11s %7s %9s %10s %10s", "type", "state", "regions", "used", "committed", "resident"))
  local rows = vm:region_stats()
  for _, s in ipairs(rows) do
    print(string.format("  %-20s %-11s %7d %9s %10s %10s", s.type, s.state, s.regions, pl.format(s.used),
      pl.format(s.pages.committed), pl.format(s.pages.resident)))
  end
  return rows
end

return {
  description = "G1 heap layout and region life cycle: eden, survivors, promotion, full GC, shrink, paced uncommit",
  params = {
    { name = "jdk", type = "integer", default = 17, help = "JDK release: 17, 21 or 25" },
    { name = "xmx", type = "size", default = "1g", help = "maximum heap (-Xmx)" },
    { name = "xms", type = "size", default = "32m", help = "initial and minimum heap (-Xms)" },
    { name = "churn", type = "size", default = "128m", help = "short-lived bytes allocated first, in 64K objects" },
    { name = "survival", type = "integer", default = 10, help = "percent of young objects still live at a collection" },
    { name = "grow", type = "size", default = "320m", help = "long-lived bytes allocated next, all of them kept" },
    { name = "old_survival", type = "integer", default = 10, help = "percent of old objects still live at System.gc()" },
  },
  run = function(p)
    local vm <close> = jvm.boot { "-Xmx" .. p.xmx, "-Xms" .. p.xms, jdk = p.jdk }
    local g = vm:g1()
    print(string.format("JDK %d: %d regions of %s, %s committed at boot", p.jdk, g.regions, pl.format(g.region_size),
      pl.format(g.committed)))
    print(vm:region_map())

    print()
    print(string.format("1. %s of short-lived objects; %d%% of young objects survive a collection and", pl.format(p.churn), p.survival))
    print("   survivors are promoted after two (MaxTenuringThreshold=2).")
    vm:workload { survival = p.survival, tenuring = 2 }
    local churn = vm:allocate("64k", p.churn // (64 * 1024))
    for _, c in ipairs(churn.collections) do print("  " .. c.log) end
    print(vm:region_map())
    local young = region_stats(vm)
    print("  Free regions keep the pages eden had: free is not uncommitted.")

    print()
    print(string.format("2. %s of long-lived objects, all kept: collections cannot make room, the heap expands.", pl.format(p.grow)))
    vm:workload { survival = 100, tenuring = 0 }
    local grow = vm:allocate("64k", p.grow // (64 * 1024))
    print(string.format("  %d collections, the heap grew by %s to %s committed", #grow.collections, pl.format(grow.expanded),
      pl.format(vm:g1().committed)))
    print(vm:region_map())

    print()
    print(string.format("3. System.gc() when %d%% of the old data is still live: the full collection compacts it", p.old_survival))
    print("   down and shrinks the heap to leave at most MaxHeapFreeRatio (70%) free.")
    vm:workload { old_survival = p.old_survival }
    local full = vm:full_gc()
    print("  " .. full.log)
    print(vm:region_map())
    local inactive = vm:g1().inactive
    print(string.format("  %d regions (%s) wait for the uncommit task, still committed.", inactive,
      pl.format(inactive * g.region_size)))
    local runs = vm:uncommit()
    local start = runs[1] and runs[1].time_ms - 100 or 0
    for _, run in ipairs(runs) do
      print(string.format("  +%4d ms  Concurrent Uncommit: %s, %d regions", run.time_ms - start, pl.format(run.bytes), run.regions))
    end
    print(vm:region_map())
    local after = region_stats(vm)

    pl.record("churn", { objects = churn.objects, collections = #churn.collections })
    pl.record("young_region_stats", young)
    pl.record("grow", { objects = grow.objects, collections = #grow.collections, expanded = grow.expanded })
    pl.record("full_collection", full)
    pl.record("uncommit_runs", runs)
    pl.record("region_stats", after)
  end,
}
