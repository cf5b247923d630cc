-- The counted-loop straggler: C2 compiles an int-counted loop without a safepoint poll inside
-- (before JDK 10's loop strip mining, or with -XX:-UseCountedLoopSafepoints), so a thread in a
-- long one reaches the next poll only when the loop ends. Every safepoint then waits for it, and
-- every other thread waits at the safepoint meanwhile: the time to safepoint is the straggler's.
local pl = require "pagelab"
local sp = require "pagelab.safepoint"

return {
  description = "A counted loop without polls delays every safepoint for everyone",
  backends = { "host" },
  params = {
    { name = "mechanism", type = "string", default = "thread-page", help = "how mutators poll",
      choices = { "global-page", "thread-page", "poll-word", "dispatch" } },
    { name = "threads", type = "integer", default = 2, help = "polling mutator threads besides the straggler" },
    { name = "loop", type = "integer", default = 2000000, help = "units of the straggler's counted loop (~1 ns each)" },
    { name = "rate", type = "number", default = 200, help = "safepoints per second" },
    { name = "duration", type = "string", default = "1s", help = "how long each storm lasts" },
  },
  run = function(p)
    local base = { mechanism = p.mechanism, threads = p.threads, rate = p.rate, duration = p.duration }
    local without = sp.storm(base)
    base.straggler = p.loop
    local with = sp.storm(base)

    local function row(name, r)
      print(string.format("%-22s %10s %10s %10s %10s %7.1f%%", name, sp.duration(r.ttsp.p50), sp.duration(r.ttsp.p99),
        sp.duration(r.ttsp.max), sp.duration(r.total.p50), (r.throughput_loss or 0) * 100))
    end
    print(string.format("%-22s %10s %10s %10s %10s %8s", "", "TTSP p50", "TTSP p99", "TTSP max", "total p50", "loss"))
    row("no straggler", without)
    row("counted loop of " .. p.loop, with)
    print()
    print("time to safepoint of each thread, with the straggler:")
    for _, t in ipairs(with.per_thread) do
      print(string.format("  thread %d (%s)  p50 %s  max %s  waited for at %d of %d safepoints", t.index, t.role,
        sp.duration(t.ttsp.p50), sp.duration(t.ttsp.max), t.waited_for, with.safepoints))
    end
    print()
    print(with)

    pl.record("safepoints", with.safepoints)
    pl.record("ttsp_ns", { p50 = with.ttsp.p50, p90 = with.ttsp.p90, p99 = with.ttsp.p99, max = with.ttsp.max })
    pl.record("ttsp_ns_without_straggler", { p50 = without.ttsp.p50, p90 = without.ttsp.p90, p99 = without.ttsp.p99, max = without.ttsp.max })
    pl.record("throughput_loss", with.throughput_loss)
  end,
}
