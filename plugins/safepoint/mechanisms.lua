-- The four ways compiled and interpreted code notice a safepoint, side by side on the same
-- mutators and schedule: the global polling page armed with mprotect (a TLB shootdown per arm and
-- a SIGSEGV per thread), the thread-local bad page (a pointer store per thread, still a SIGSEGV),
-- the thread-local poll word (a store and a branch, no signal) and the interpreter's dispatch
-- table swap (2,560 entries copied each way).
local pl = require "pagelab"
local sp = require "pagelab.safepoint"

return {
  description = "Global page, thread-local page, poll word and dispatch table side by side",
  backends = { "host" },
  params = {
    { name = "threads", type = "integer", default = 2, help = "mutator threads" },
    { name = "rate", type = "number", default = 2000, help = "safepoints per second; 0 runs them back to back" },
    { name = "duration", type = "string", default = "1s", help = "how long each storm lasts" },
  },
  run = function(p)
    print(string.format("%-12s %10s %10s %10s %10s %10s %8s %8s", "mechanism", "TTSP p50", "p90", "p99", "max",
      "total p50", "traps", "loss"))
    local results = {}
    for _, mechanism in ipairs(sp.mechanisms()) do
      local r = sp.storm { mechanism = mechanism, threads = p.threads, rate = p.rate, duration = p.duration }
      print(string.format("%-12s %10s %10s %10s %10s %10s %8d %7.1f%%", mechanism, sp.duration(r.ttsp.p50),
        sp.duration(r.ttsp.p90), sp.duration(r.ttsp.p99), sp.duration(r.ttsp.max), sp.duration(r.total.p50), r.traps,
        (r.throughput_loss or 0) * 100))
      results[mechanism] = {
        safepoints = r.safepoints, traps = r.traps, throughput_loss = r.throughput_loss,
        ttsp_ns = { p50 = r.ttsp.p50, p90 = r.ttsp.p90, p99 = r.ttsp.p99, max = r.ttsp.max },
      }
    end
    pl.record("mechanisms", results)
  end,
}
