-- AlwaysPreTouch against lazy first touch (hotspot.md §7). HotSpot 17 pretouches by storing one
-- byte per page from ParallelGCThreads workers that claim 4 MiB chunks (PreTouchParallelChunkSize);
-- with -XX:+UseTransparentHugePages the memory was madvised first, and the kernel then fills each
-- 2 MiB extent with one fault. Lazy first touch is the same page faults, paid later by the
-- application thread that first writes each page.
--
-- Every case runs on a fresh region after one warm-up pass, because this VM hands freed memory
-- back to its host (linux-kernel.md §0): the first touch of memory the host reclaimed costs 5-13 µs
-- a page instead of about 1.5 µs.
local pl = require "pagelab"

return {
  description = "AlwaysPreTouch with 1 and 2 threads against lazy first touch, 4 KiB pages against THP",
  params = {
    { name = "size", type = "size", default = "512m", help = "heap size to touch in each case" },
    { name = "repeat", type = "integer", default = 3, help = "runs per case; the median is reported" },
  },
  run = function(p)
    local page = pl.page_size()
    local cases = {
      { name = "lazy first touch", pages = "4k", threads = 1, lazy = true },
      { name = "pretouch", pages = "4k", threads = 1 },
      { name = "pretouch", pages = "4k", threads = 2 },
      { name = "lazy first touch", pages = "thp", threads = 1, lazy = true },
      { name = "pretouch", pages = "thp", threads = 1 },
      { name = "pretouch", pages = "thp", threads = 2 },
    }
    local thp = pl.host().thp_mode ~= "never"

    local function once(case)
      local heap <close> = pl.reserve(p.size, { name = "heap", align = "2m" })
      heap:commit()
      heap:advise(0, p.size, case.pages == "thp" and "hugepage" or "nohugepage")
      local op
      if case.lazy then
        -- The application's allocation path: one thread, first touch in 4 MiB steps as TLABs fill.
        op = { ns = 0, minflt = 0, majflt = 0 }
        local step = math.min(pl.size("4m"), p.size)
        for offset = 0, p.size - step, step do
          local r = heap:touch(offset, step)
          op.ns, op.minflt = op.ns + r.ns, op.minflt + r.minflt
        end
      else
        op = heap:touch(0, p.size, { threads = case.threads })
      end
      return op, heap:stats()
    end

    -- Warm-up: bring memory back from the host before timing anything.
    once(cases[2])

    local rows = {}
    print(string.format("%-18s %-5s %7s %10s %10s %9s %9s %9s", "case", "pages", "threads",
      "median", "per 4K", "faults", "resident", "huge"))
    for _, case in ipairs(cases) do
      if case.pages == "thp" and not thp then
        print(string.format("%-18s %-5s %7d  skipped: THP mode is never on this host", case.name, case.pages, case.threads))
      else
        local times, last, stats = {}, nil, nil
        for i = 1, p["repeat"] do
          last, stats = once(case)
          times[i] = last.ns
        end
        table.sort(times)
        local median = times[(#times + 1) // 2]
        local row = {
          case = case.name, pages = case.pages, threads = case.threads, median_ns = median,
          ns_per_4k = median / (p.size // page), minflt = last.minflt,
          resident = stats.resident, huge = stats.huge,
        }
        rows[#rows + 1] = row
        print(string.format("%-18s %-5s %7d %7.1f ms %7.0f ns %9d %9s %9s", row.case, row.pages, row.threads,
          median / 1e6, row.ns_per_4k, row.minflt, pl.format(row.resident), pl.format(row.huge)))
      end
    end
    pl.record("cases", rows)
  end,
}
