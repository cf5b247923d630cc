-- ZGC's multi-mapped heap (hotspot.md, ZGC): in JDK 17 (and 21's non-generational ZGC) the heap's
-- memory is one memfd, "java_heap", committed with fallocate and mapped with MAP_SHARED into three
-- views at 4, 8 and 16 TiB (marked0, marked1, remapped); AlwaysPreTouch touches it through every
-- view. The memory exists once: NMT's Java Heap committed, the memfd's allocated bytes and PSS
-- count it once. RSS counts a page once per mapping that touched it, so a pretouched heap shows
-- three times its size in RSS (RssShmem). JDK 25's generational ZGC maps the memfd once.
local pl = require "pagelab"
local jvm = require "pagelab.jvm"

return {
  description = "ZGC's multi-mapped heap: one memfd committed once, three views, RSS counting it three times",
  params = {
    { name = "heap", type = "size", default = "512m", help = "-Xms and -Xmx" },
    { name = "jdk", type = "integer", default = 17, choices = { 17, 21, 25 }, help = "17 and 21 map three views, 25 one" },
  },
  run = function(p)
    local size = pl.format(p.heap):lower()
    local cases = { { "lazy", {} }, { "pretouch", { "-XX:+AlwaysPreTouch" } } }
    local rows = {}
    print(("%-9s %13s %-26s %11s %11s %11s %11s"):format(
      "case", "NMT committed", "resident per view", "RSS growth", "RssShmem", "PSS growth", "memfd"))
    for _, case in ipairs(cases) do
      local options = { "-XX:+UseZGC", "-Xms" .. size, "-Xmx" .. size, jdk = p.jdk }
      for _, flag in ipairs(case[2]) do options[#options + 1] = flag end
      local before = pl.process { pss = true }
      local vm <close> = jvm.boot(options)
      local after = pl.process { pss = true }
      local report = vm:report()
      local views, shown = {}, {}
      for _, area in ipairs(report.areas) do
        if area.category == "Java Heap" then
          views[#views + 1] = area.resident
          shown[#shown + 1] = pl.format(area.resident)
        end
      end
      local row = {
        case = case[1], nmt_committed = report.nmt["Java Heap"].committed, views = views,
        rss_growth = after.rss - before.rss, rss_shmem = after.rss_shmem - before.rss_shmem,
        pss_growth = after.pss - before.pss, memfd_allocated = report.heap_memory.allocated,
      }
      print(("%-9s %13s %-26s %11s %11s %11s %11s"):format(row.case, pl.format(row.nmt_committed),
        table.concat(shown, " / "), pl.format(row.rss_growth), pl.format(row.rss_shmem), pl.format(row.pss_growth),
        pl.format(row.memfd_allocated)))
      rows[#rows + 1] = row
      vm:close()
    end
    print()
    print(("The heap is one memfd of %s, committed once (fallocate): NMT and the memfd count it once."):format(size))
    print(("Pretouched through %d view(s), it is resident in each: RSS grows by %s while PSS, which"):format(
      #rows[2].views, pl.format(rows[2].rss_growth)))
    print("divides each page among its mappings, grows by the heap's size once.")
    pl.record("cases", rows)
  end,
}
