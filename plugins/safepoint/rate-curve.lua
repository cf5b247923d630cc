-- Mutator throughput against safepoint rate: what a storm costs as it grows, from a safepoint a
-- second (GuaranteedSafepointInterval's default) to back to back.
local pl = require "pagelab"
local sp = require "pagelab.safepoint"

return {
  description = "Mutator throughput against safepoint rate",
  backends = { "host" },
  params = {
    { name = "mechanism", type = "string", default = "poll-word", help = "how mutators poll",
      choices = { "global-page", "thread-page", "poll-word", "dispatch" } },
    { name = "threads", type = "integer", default = 2, help = "mutator threads" },
    { name = "duration", type = "string", default = "500ms", help = "how long each point's storm lasts" },
    { name = "operation", type = "string", default = "20us", help = "VM operation per safepoint" },
  },
  run = function(p)
    local curve = {}
    print(string.format("%12s %12s %12s %10s %10s  %s", "rate /s", "safepoints", "units/s", "TTSP p50", "loss", ""))
    for _, rate in ipairs { 1, 10, 100, 1000, 10000, 0 } do
      local r = sp.storm { mechanism = p.mechanism, threads = p.threads, rate = rate, duration = p.duration,
        operation = p.operation }
      local loss = r.throughput_loss or 0
      print(string.format("%12s %12d %12.3g %10s %9.1f%%  %s", rate == 0 and "back to back" or rate, r.safepoints,
        r.throughput.with, sp.duration(r.ttsp.p50), loss * 100, string.rep("#", math.max(0, math.floor(loss * 50 + 0.5)))))
      curve[#curve + 1] = { rate = rate, safepoints = r.safepoints, achieved = r.safepoints / (r.duration_ns / 1e9),
        throughput = r.throughput.with, throughput_loss = loss }
    end
    pl.record("curve", curve)
    -- Back to back is plotted at the rate it achieved, so that it takes its real place on the axis.
    local throughput, lost = {}, {}
    for _, point in ipairs(curve) do
      local x = point.rate > 0 and point.rate or point.achieved
      if x > 0 then
        throughput[#throughput + 1] = { x, point.throughput }
        lost[#lost + 1] = { x, point.throughput_loss * 100 }
      end
    end
    local rate = { label = "safepoints per second (back to back: as achieved)", log = true }
    pl.chart{ kind = "curve", title = "Mutator throughput against safepoint rate (" .. p.mechanism .. ")", x = rate,
      y = "work units per second", series = { { name = "with safepoints", points = throughput } } }
    pl.chart{ kind = "curve", title = "Throughput lost to safepoints (" .. p.mechanism .. ")", x = rate,
      y = { label = "throughput lost", unit = "percent" }, series = { { name = "lost", points = lost } } }
  end,
}
