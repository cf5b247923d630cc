-- Seeds 001 and 003's TLB claims, each against the TLB model (an Intel Golden Cove core; all
-- figures simulated, no memory touched). The heap is seed 001's: 8 GiB at 0x600000000.
--
-- What the model says (README, "TLB model"):
--  * "Every TLB miss walks 4 levels = 4 memory accesses" (001): only without paging-structure
--    caches. A scan reads 1 entry per walk, random accesses over 8 GiB about 2-3; and an L1 miss
--    that hits the STLB (any footprint under 8 MiB) does not walk at all.
--  * "Huge pages cut TLB misses 512-fold" (001): exactly for a scan (one miss per page, 512 times
--    fewer pages); for random accesses over 8 GiB about 2-fold, because 4096 2M pages still
--    overflow the 2048-entry STLB. 1G pages (8 of them) fit the L1 and stop missing.
--  * "8 GB needs 2,097,152 TLB entries with 4K pages, 4,096 with 2M" (001): page counts, not TLB
--    entries: the core has 96 + 2048 for 4K pages, covering 8 MiB (0.1 % of the heap).
--  * "A TLB holds fewer than 100 entries" (003): Golden Cove's L1 dTLB alone has 136 (96 + 32 + 8),
--    its STLB 3072 more.
--  * "Bigger pages: fewer entries, more reach; Nehalem's iTLB covers 512K with 4K pages and 14M
--    with 2M pages" (003): right, and the model's reach reproduces both numbers.
--  * "The TLB key is address bits 12-47" (003): for 4K pages. A 2M page's entry is keyed by bits
--    21-47: one entry serves all 512 of its 4K frames.
--  * "dTLB-load-misses 5.13 %, 15 % slower" (001): a perf measurement from another machine; our
--    VMs expose no PMU (perf prints <not supported>), so it can be neither repeated nor simulated.
local pl = require "pagelab"
local tlb = require "pagelab.tlb"

return {
  description = "Seeds 001 and 003's TLB claims checked against the TLB model",
  params = {
    { name = "heap", type = "size", default = "8g", help = "the heap of seed 001" },
    { name = "accesses", type = "integer", default = 2000000, help = "accesses per random simulation" },
  },
  run = function(p)
    assert(p.heap % pl.size("2m") == 0, "heap must be a multiple of 2M")
    local at = 0x600000000
    local function heap(page) return { { size = p.heap, page = page, at = at } } end
    local rows = {}
    local function claim(seed, says, model, verdict)
      rows[#rows + 1] = { seed = seed, says = says, model = model, verdict = verdict }
      print(string.format("\n[%s] %s\n  model: %s\n  => %s", seed, says, model, verdict))
    end

    -- 001: each TLB miss walks four levels, four memory accesses.
    local scan = tlb.simulate{ extents = heap("4k"), pattern = "strided", accesses = p.heap // 4096 }
    local random = tlb.simulate{ extents = heap("4k"), pattern = "random", accesses = p.accesses, warmup = p.accesses // 2 }
    local config = tlb.config()
    config.walk_caches = {}
    local uncached = tlb.simulate{ extents = heap("4k"), pattern = "random", accesses = p.accesses, config = config }
    local small = tlb.simulate{ extents = { { size = "4m", at = at } }, pattern = "random", accesses = p.accesses, warmup = p.accesses // 2 }
    claim("001", "every TLB miss walks the 4-level page table: 4 memory accesses",
      string.format("entries read per walk: scan %.2f, random %.2f, without paging-structure caches %.2f; " ..
        "random over 4M: %.1f%% L1 misses, %d walks (the STLB holds them)",
        scan.refs_per_walk, random.refs_per_walk, uncached.refs_per_walk, 100 * small.l1_miss_rate, small.walks),
      "wrong on a current core: paging-structure caches leave 1-3 reads per walk, and STLB hits none")

    -- 001: huge pages cut TLB misses 512-fold.
    local scan2m = tlb.simulate{ extents = heap("2m"), pattern = "strided", accesses = p.heap // 4096 }
    local random2m = tlb.simulate{ extents = heap("2m"), pattern = "random", accesses = p.accesses, warmup = p.accesses // 2 }
    local gigantic = "not simulated: the heap is not a multiple of 1G"
    if p.heap % pl.size("1g") == 0 then
      local random1g = tlb.simulate{ extents = heap("1g"), pattern = "random", accesses = p.accesses, warmup = p.accesses // 2 }
      gigantic = string.format("%d walks", random1g.walks)
    end
    local zipf4k = tlb.simulate{ extents = heap("4k"), pattern = "zipf", accesses = p.accesses, warmup = p.accesses // 2 }
    local zipf2m = tlb.simulate{ extents = heap("2m"), pattern = "zipf", accesses = p.accesses, warmup = p.accesses // 2 }
    claim("001", "2M pages cut TLB misses 512-fold",
      string.format("walks 4K/2M: scan %d/%d = %.0fx; random %.1f%%/%.1f%% = %.1fx; zipf %.1f%%/%.1f%% = %.1fx; random over 1G pages: %s",
        scan.walks, scan2m.walks, scan.walks / scan2m.walks, 100 * random.miss_rate, 100 * random2m.miss_rate,
        random.miss_rate / random2m.miss_rate, 100 * zipf4k.miss_rate, 100 * zipf2m.miss_rate,
        zipf4k.miss_rate / zipf2m.miss_rate, gigantic),
      "true for a sequential scan only; for random access over a heap larger than the 2M reach (4G) the gain is a few-fold")

    -- 001: 8 GB needs 2,097,152 TLB entries with 4K pages and 4,096 with 2M pages.
    local reach = tlb.reach()
    local translations4k = (reach.l1["4k"] + reach.stlb["4k"]) // 4096
    claim("001", "8 GB needs 2,097,152 TLB entries (4K pages) or 4,096 (2M pages)",
      string.format("%s has %d 4K pages; the TLB maps %s of them (L1 %s, STLB %s = %.2f%%); with 2M pages the STLB maps %s (%.0f%%), with 1G pages the L1 maps %s",
        pl.format(p.heap), p.heap // 4096, pl.format(reach.stlb["4k"]), pl.format(reach.l1["4k"]), pl.format(reach.stlb["4k"]),
        100 * reach.stlb["4k"] / p.heap, pl.format(reach.stlb["2m"]), math.min(100, 100 * reach.stlb["2m"] / p.heap),
        pl.format(reach.l1["1g"])),
      string.format("these are page counts, not TLB entries: the TLB holds %d 4K translations and covers %.1f%% of the heap",
        translations4k, 100 * reach.stlb["4k"] / p.heap))

    -- 003: a TLB holds fewer than 100 entries.
    local entries = 0
    for _, level in ipairs({ config.l1, config.stlb }) do
      for _, array in ipairs(level) do entries = entries + array.entries end
    end
    claim("003", "a TLB holds fewer than 100 entries",
      string.format("Golden Cove: L1 dTLB %d + %d + %d entries (4K, 2M, 1G), STLB %d + %d; %d in all",
        config.l1[1].entries, config.l1[2].entries, config.l1[3].entries, config.stlb[1].entries, config.stlb[2].entries, entries),
      "wrong for any core of the last decade (even Nehalem's second-level TLB had 512 entries)")

    -- 003: bigger pages, fewer entries, more reach (Nehalem's iTLB: 128 x 4K = 512K, 7 x 2M = 14M).
    local nehalem = tlb.reach{ l1 = { { sizes = { "4k" }, entries = 128, ways = 4 }, { sizes = { "2m" }, entries = 7, ways = 7 } } }
    claim("003", "bigger pages: fewer entries but more reach (Nehalem iTLB 128 x 4K = 512K, 7 x 2M = 14M)",
      string.format("Nehalem-like L1: %s and %s; Golden Cove L1 dTLB: %s, %s, %s for 4K, 2M, 1G",
        pl.format(nehalem.l1["4k"]), pl.format(nehalem.l1["2m"]), pl.format(reach.l1["4k"]), pl.format(reach.l1["2m"]),
        pl.format(reach.l1["1g"])),
      "right")

    -- 003: the TLB key is address bits 12-47.
    local one4k = tlb.simulate{ extents = { { size = "2m", page = "4k", at = at } }, pattern = "strided", accesses = 512 }
    local one2m = tlb.simulate{ extents = { { size = "2m", page = "2m", at = at } }, pattern = "strided", accesses = 512 }
    claim("003", "the TLB caches translations keyed by address bits 12-47",
      string.format("touching the 512 4K frames of one 2M range: %d walks with 4K pages, %d with one 2M page", one4k.walks, one2m.walks),
      "only for 4K pages: a 2M entry is keyed by bits 21-47, a 1G entry by bits 30-47")

    claim("001", "dTLB-load-misses 5.13%, about 15% of the run time",
      "not simulated: a perf measurement of another machine's JVM",
      "skipped: our VMs expose no hardware PMU (perf: dTLB-load-misses <not supported>), so it cannot be repeated here")
    pl.record("claims", rows)
  end,
}
