-- A page walk, as the MMU does it on a TLB miss: the virtual address is cut into one 9-bit index
-- per page-table level and a 12-bit offset (4-level paging: PGD bits 47-39, PUD 38-30, PMD 29-21,
-- PTE 20-12; 5-level paging adds bits 56-48 on top). A 2 MiB page ends the walk at the PMD, a
-- 1 GiB page at the PUD. Seed 001 splits 0x600000000 into PGD 12 and PUD 0: it is PGD 0, PUD 24
-- (24 GiB lies in the first 512 GiB, in its 25th GiB).
--
-- For this process's own memory PageLab reads what the walk finds from /proc/self/pagemap (the
-- physical frame, as root), /proc/kpageflags and PAGEMAP_SCAN: a written 4 KiB page, a THP
-- (one PMD for 512 physically contiguous frames), the shared zero page a read maps, and a page
-- never touched. The upper levels' entries (where the page tables themselves are) are not
-- visible from user space.
local pl = require "pagelab"
local tlb = require "pagelab.tlb"

return {
  description = "Addresses split into PGD/PUD/PMD/PTE indexes, and the entries pagemap finds for 4K, THP, zero and untouched pages",
  params = {
    { name = "address", type = "integer", default = 0x600000000, help = "an address to split (default: seed 001's Java heap base)" },
  },
  run = function(p)
    print("Splitting an address (no memory needed):")
    print("  " .. tostring(tlb.split(p.address)))
    print("  " .. tostring(tlb.split(p.address, 5)))
    pl.record("split", tlb.split(p.address))

    local thp = pl.host().thp_mode ~= "never" and pl.host().thp_mode ~= "unsupported"
    local region <close> = pl.reserve("8m", { name = "walk", align = "2m" })
    region:commit()
    region:advise(0, "2m", thp and "hugepage" or "nohugepage")
    region:advise("2m", "6m", "nohugepage")
    region:touch(0, "2m")                               -- a THP where the host allows one
    region:touch("2m", "4k")                            -- a written 4K page
    region:touch(pl.size("2m") + 4096, "4k", { write = false })  -- a read: the zero page
    print(string.format("\nA region at 0x%x: a THP at +0, a written page at +2M, a read page at +2M+4K, nothing at +4M:",
      region.base))
    local walks = {}
    for _, case in ipairs({
      { name = "THP head", offset = 0 }, { name = "THP, 5th frame", offset = 5 * 4096 + 0x40 },
      { name = "written 4K", offset = pl.size("2m") + 0x123 }, { name = "read 4K", offset = pl.size("2m") + 4096 },
      { name = "untouched", offset = pl.size("4m") },
    }) do
      local walk = region:walk(case.offset)
      print(string.format("\n%s (+0x%x)\n%s", case.name, case.offset, tostring(walk)))
      walks[case.name] = walk
    end
    local head, fifth = walks["THP head"], walks["THP, 5th frame"]
    if head.leaf == "pmd" and head.pfn and fifth.pfn then
      print(string.format("\nOne PMD maps the whole THP: the 5th 4K frame is PFN head + %d.", fifth.pfn - head.pfn))
    elseif not thp then
      print("\nTHP is " .. pl.host().thp_mode .. " on this host: the first 2M is 4K pages.")
    end
    pl.record("walks", walks)
  end,
}
