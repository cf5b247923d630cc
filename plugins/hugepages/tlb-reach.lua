-- 4 KiB pages against transparent huge pages (and hugetlb when a pool exists): the same heap
-- written once with each, then run through the TLB model with the page sizes the kernel really
-- gave it. Measured on this host: first-touch time, page faults, page-table memory (VmPTE) and
-- huge bytes. Simulated (our VMs expose no TLB counters, linux-kernel.md §5): L1 dTLB and STLB
-- misses, page walks and the entries each walk reads, on an Intel Golden Cove core.
--
-- Measured on our machines: THP takes 512 times fewer faults, but the same VmPTE (2 MiB per GiB),
-- because x86 Linux deposits a PTE page with each THP so that it can split it later.
--
-- What it shows: the TLB reach of a Golden Cove core is 384 KiB (L1) and 8 MiB (STLB) with 4 KiB
-- pages, 64 MiB and 4 GiB with 2 MiB pages. A sequential scan misses once per page, so THP cuts
-- its walks exactly 512-fold; random, Zipf and pointer-chasing accesses over a heap larger than
-- the reach miss on nearly every access with 4 KiB pages, and with 2 MiB pages only in proportion
-- to the part of the heap beyond 4 GiB — none at all below it.
local pl = require "pagelab"
local tlb = require "pagelab.tlb"

local patterns = {
  { name = "sequential", pattern = "sequential" },
  { name = "strided 4K", pattern = "strided" },
  { name = "random", pattern = "random" },
  { name = "zipf 0.99", pattern = "zipf" },
  { name = "chase", pattern = "chase" },
}

return {
  description = "4K against THP (against hugetlb with a pool): faults, time, page tables, and simulated TLB misses per pattern",
  params = {
    { name = "size", type = "size", default = "1g", help = "heap written with each page size" },
    { name = "large", type = "size", default = "8g", help = "a heap beyond this host's means, simulated in 4K, 2M and 1G pages" },
    { name = "accesses", type = "integer", default = 2000000, help = "simulated accesses per pattern (after a warm-up of half as many)" },
  },
  run = function(p)
    local host = pl.host()
    local cases = {}

    -- Simulated accesses over a footprint: the walk rate (walks per access) and entries per walk.
    local function simulate(where)
      local rates = {}
      for _, pattern in ipairs(patterns) do
        local options = { pattern = pattern.pattern, accesses = p.accesses, warmup = p.accesses // 2 }
        for k, v in pairs(where) do options[k] = v end
        local s = tlb.simulate(options)
        rates[pattern.name] = { miss_rate = s.miss_rate, l1_miss_rate = s.l1_miss_rate, refs_per_walk = s.refs_per_walk }
      end
      return rates
    end

    local function measured(name, advice)
      -- Warm-up with the same page size: this VM hands memory freed for ~2 s back to its host,
      -- and the first touch of such memory costs 5-13 µs per 4K (linux-kernel.md §0).
      do
        local warm <close> = pl.reserve(p.size, { align = "2m" })
        warm:commit(); warm:advise(0, p.size, advice); warm:touch()
      end
      local heap <close> = pl.reserve(p.size, { name = "heap", align = "2m" })
      heap:commit()
      heap:advise(0, p.size, advice)
      local before = pl.process().vm_pte
      local op = heap:touch()
      local stats = heap:stats()
      return {
        name = name, source = "measured", ns = op.ns, minflt = op.minflt, huge = stats.huge,
        page_tables = pl.process().vm_pte - before, rates = simulate({ region = heap }),
      }
    end

    cases[#cases + 1] = measured("4K pages", "nohugepage")
    if host.thp_mode == "never" or host.thp_mode == "unsupported" then
      print("THP: skipped, transparent huge pages are " .. host.thp_mode .. " on this host")
    else
      cases[#cases + 1] = measured("THP", "hugepage")
    end

    local pool = host.hugetlb_pools[tostring(pl.size("2m"))]
    if pool == nil or pool.free * pl.size("2m") < p.size then
      print(string.format("hugetlb: skipped, the 2M pool has %d free pages here (%d needed); 2M and 1G pages are simulated below",
        pool and pool.free or 0, p.size // pl.size("2m")))
    else
      print("hugetlb: skipped, a pool exists but the host backend does not map MAP_HUGETLB memory yet; 2M and 1G pages are simulated below")
    end
    -- Beyond what this host can touch: a larger heap in each page size, simulated only.
    for _, size in ipairs({ "4k", "2m", "1g" }) do
      if p.large % pl.size(size) == 0 then
        cases[#cases + 1] = { name = string.format("%s %s", pl.format(p.large), size:upper()), source = "simulated",
          rates = simulate({ extents = { { size = p.large, page = size } } }) }
      end
    end

    local reach = tlb.reach()
    print(string.format("\nTLB reach of a Golden Cove core (simulated), against heaps of %s and %s:", pl.format(p.size), pl.format(p.large)))
    for _, size in ipairs({ "4k", "2m", "1g" }) do
      print(string.format("  %s pages: L1 dTLB %8s  STLB %8s  (%5.1f%% and %5.1f%% of the heaps)", size:upper(),
        pl.format(reach.l1[size]), pl.format(reach.stlb[size]), math.min(100, 100 * reach.stlb[size] / p.size),
        math.min(100, 100 * reach.stlb[size] / p.large)))
    end

    print(string.format("\n%-11s %-9s %10s %9s %9s %7s  page walks per access (entries read per walk)", "case", "source",
      "touch", "faults", "VmPTE", "huge"))
    local header = string.format("%-11s %-9s %10s %9s %9s %7s ", "", "", "", "", "", "")
    for _, pattern in ipairs(patterns) do header = header .. string.format(" %16s", pattern.name) end
    print(header)
    for _, case in ipairs(cases) do
      local line
      if case.source == "measured" then
        line = string.format("%-11s %-9s %7.1f ms %9d %9s %7s ", case.name, case.source, case.ns / 1e6, case.minflt,
          pl.format(case.page_tables), pl.format(case.huge))
      else
        line = string.format("%-11s %-9s %10s %9s %9s %7s ", case.name, case.source, "-", "-", "-", "-")
      end
      for _, pattern in ipairs(patterns) do
        local r = case.rates[pattern.name]
        line = line .. string.format(" %8.2f%% (%4.2f)", 100 * r.miss_rate, r.refs_per_walk)
      end
      print(line)
    end
    print("\nVmPTE is the page-table memory the touch added. x86 Linux deposits a PTE page with every THP (to split it" ..
      "\nlater without allocating), so THP saves faults and TLB entries but not page-table memory.")
    pl.record("cases", cases)
    local series = {}
    for _, case in ipairs(cases) do
      local points = {}
      for _, pattern in ipairs(patterns) do points[#points + 1] = { pattern.name, 100 * case.rates[pattern.name].miss_rate } end
      series[#series + 1] = { name = case.name .. " (" .. case.source .. ")", points = points }
    end
    pl.chart{ kind = "bars", title = "Page walks per access (simulated Golden Cove TLB)", x = "access pattern",
      y = { label = "page walks per access", unit = "percent" }, series = series }
    pl.record("reach", reach)
  end,
}
