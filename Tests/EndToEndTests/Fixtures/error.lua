local function inner()
  local r <close> = pl.reserve("1m", { name = "guarded" })
  r:touch(0, "4k")
end
inner()
