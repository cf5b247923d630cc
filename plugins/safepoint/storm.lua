-- A safepoint storm (hotspot.md §5): the coordinator brings every mutator to a safepoint through
-- SafepointSynchronize's three states, runs a VM operation, and lets them go, `rate` times a second
-- (0: back to back) for `duration`. Mutator throughput is measured in quiet slices between the
-- stormy ones, so the storm's cost is a fraction of it.
local pl = require "pagelab"
local sp = require "pagelab.safepoint"

return {
  description = "Safepoints at a rate or back to back: time to safepoint and the throughput they cost",
  backends = { "host" },
  params = {
    { name = "mechanism", type = "string", default = "poll-word", help = "how mutators poll",
      choices = { "global-page", "thread-page", "poll-word", "dispatch" } },
    { name = "threads", type = "integer", default = 2, help = "polling mutator threads" },
    { name = "rate", type = "number", default = 1000, help = "safepoints per second; 0 runs them back to back" },
    { name = "duration", type = "string", default = "1s", help = "how long the storm lasts (e.g. 500ms, 2s)" },
    { name = "operation", type = "string", default = "50us", help = "how long each VM operation keeps the world stopped" },
    { name = "work", type = "string", default = "compute", help = "what mutators do between polls",
      choices = { "compute", "store", "copy" } },
    { name = "log", type = "string", default = "jdk17", help = "-Xlog:safepoint format of the sample lines",
      choices = { "jdk17", "jdk21", "jdk25" } },
  },
  run = function(p)
    local r = sp.storm {
      mechanism = p.mechanism, threads = p.threads, rate = p.rate, duration = p.duration,
      operation = p.operation, work = p.work, log = p.log,
    }
    print(r)
    print()
    print(string.format("first and last of %d -Xlog:safepoint lines (%s):", #r.log, p.log))
    for i, line in ipairs(r.log) do
      if i <= 3 or i > #r.log - 2 then print(line) elseif i == 4 then print("...") end
    end

    pl.record("safepoints", r.safepoints)
    pl.record("ttsp_ns", { p50 = r.ttsp.p50, p90 = r.ttsp.p90, p99 = r.ttsp.p99, max = r.ttsp.max })
    pl.record("throughput_loss", r.throughput_loss)
    pl.record("traps", r.traps)
    pl.record("violations", r.violations)
    pl.record("histogram", r.histogram)
    local buckets = {}
    for _, bucket in ipairs(r.histogram) do buckets[#buckets + 1] = { bucket.up_to, bucket.count } end
    pl.chart{
      kind = "histogram", title = string.format("Time to safepoint: %s, %d threads, %s", p.mechanism, p.threads,
        p.rate > 0 and string.format("%g/s", p.rate) or "back to back"),
      -- A log count axis: the tail (a few safepoints past 100 µs) is what a latency histogram is for.
      x = { label = "time to safepoint (bucket upper bound)", unit = "ns" }, y = { label = "safepoints", log = true },
      series = { { name = p.mechanism, points = buckets } },
    }
  end,
}
