-- A small scenario for the end-to-end tests: its output and its JSON are exact.
return {
  description = "Commit 4 MiB, write 1 MiB, read 1 MiB",
  params = {
    { name = "write", type = "size", default = "1m", help = "bytes to write" },
  },
  run = function(p)
    local r <close> = pl.reserve("4m", { name = "small" })
    r:commit()
    r:touch(0, p.write)
    r:touch("2m", "1m", { write = false })
    local s = r:stats()
    print(string.format("committed %s resident %s zero %s", pl.format(s.committed), pl.format(s.resident), pl.format(s.zero)))
    pl.record("resident", s.resident)
  end,
}
