-- Runs until interrupted: touches and drops 256 MiB again and again.
local r <close> = pl.reserve("256m", { name = "spin" })
r:commit()
print("spinning")
io.stdout:flush()
while true do
  r:touch()
  r:advise(0, "256m", "dontneed")
end
