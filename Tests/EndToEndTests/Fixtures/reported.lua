-- A scenario with its own final report: for the report hook tests.
return {
  description = "Write 2 MiB and report it in a line of its own",
  run = function()
    local r <close> = pl.reserve("4m", { name = "<b>reported</b>" })
    r:commit()
    r:touch(0, "2m")
    pl.record("written", 2097152)
    print("run done")
  end,
  report = function(result)
    local region = result.regions[1]
    print(string.format("report: status=%s operations=%d region=%s resident=%d written=%d", result.manifest.status,
      #result.operations, region.name, region.resident, result.results.written))
  end,
}
