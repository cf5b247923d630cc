-- Reserve → commit → touch (seeds 002 and 003, corrected by hotspot.md §10): a commit is
-- mmap(MAP_FIXED, PROT_READ|PROT_WRITE) and allocates no physical page; pages arrive one by one
-- on first touch. A read of a never-written page maps the shared zero page, which RSS does not
-- count. Uncommit hands the pages back.
local pl = require "pagelab"

return {
  description = "Reserve, commit, touch: committed is not resident, and reads map the zero page",
  params = {
    { name = "reserve", type = "size", default = "1g", help = "address space to reserve" },
    { name = "commit", type = "size", default = "256m", help = "how much of it to commit" },
    { name = "write", type = "size", default = "64m", help = "how much of the committed part to write" },
    { name = "read", type = "size", default = "32m", help = "how much to read after the written part" },
  },
  run = function(p)
    assert(p.commit <= p.reserve, "commit must not exceed reserve")
    assert(p.write + p.read <= p.commit, "write + read must fit in commit")
    local heap <close> = pl.reserve(p.reserve, { name = "heap" })
    local function show(step)
      local s = heap:stats()
      print(string.format("%-22s committed %8s  resident %8s  zero %8s", step,
        pl.format(s.committed), pl.format(s.resident), pl.format(s.zero)))
      return s
    end

    pl.snapshot("reserved")
    show("reserved " .. pl.format(p.reserve))
    local op = heap:commit(0, p.commit)
    local committed = show("committed " .. pl.format(p.commit))
    print(string.format("  commit took %d µs and caused %d page faults: nothing is resident yet",
      op.ns // 1000, op.minflt))
    pl.snapshot("committed")

    local w = heap:touch(0, p.write, { write = true })
    local written = show("wrote " .. pl.format(p.write))
    print(string.format("  %d minor faults, %.0f ns per page", w.minflt, w.ns / (p.write // pl.page_size())))

    local r = heap:touch(p.write, p.read, { write = false })
    local read = show("read " .. pl.format(p.read))
    print(string.format("  %d minor faults; the reads mapped the zero page, RSS did not grow", r.minflt))
    pl.snapshot("touched")

    print()
    print(heap:map(0, p.commit, { rows = 4 }))
    print()
    print(pl.diff("committed", "touched"))

    heap:uncommit(0, p.commit)
    local released = show("uncommitted all")

    pl.record("committed_resident", committed.resident)
    pl.record("written_resident", written.resident)
    pl.record("read_zero", read.zero)
    pl.record("read_resident_growth", read.resident - written.resident)
    pl.record("released_resident", released.resident)
  end,
}
