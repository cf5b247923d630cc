-- Writes one more MiB every `pause`, computing in Lua in between: for the --interval tests.
return {
  description = "Write 1 MiB at a time, with pauses",
  params = {
    { name = "steps", type = "integer", default = 6, help = "MiB to write, one at a time" },
    { name = "pause", type = "integer", default = 60, help = "milliseconds of Lua work after each step" },
  },
  run = function(p)
    local r <close> = pl.reserve("8m", { name = "growing" })
    r:commit()
    for step = 1, p.steps do
      r:touch((step - 1) * 1048576, "1m")
      local until_ns = pl.now() + p.pause * 1000000
      while pl.now() < until_ns do end
      print("step " .. step)
    end
  end,
}
