-- Seed 000's serialization primitives, measured (hotspot.md §5.3). A thread returning from native
-- must not miss a safepoint that began meanwhile, and the coordinator must not miss its return:
-- a StoreLoad race. JDK <= 11 closed it with the memory serialize page (the thread stores to it,
-- the coordinator mprotects it read-only and back, whose TLB shootdown drains every store buffer),
-- JDK 12 with a fence in every transition, JDK 20 optionally with one membarrier(2) per safepoint.
-- Cost per transition is the thread's side; cost per safepoint the coordinator's.
local pl = require "pagelab"
local sp = require "pagelab.safepoint"

return {
  description = "The memory serialize page against a fence per transition against membarrier",
  backends = { "host" },
  params = {
    { name = "natives", type = "integer", default = 2, help = "threads that go in and out of native" },
    { name = "threads", type = "integer", default = 1, help = "polling threads beside them" },
    { name = "rate", type = "number", default = 1000, help = "safepoints per second" },
    { name = "duration", type = "string", default = "1s", help = "how long each storm lasts" },
    { name = "transitions", type = "integer", default = 2000000, help = "transitions timed per ordering" },
  },
  run = function(p)
    local floor = sp.transition_cost("none", p.transitions)
    print(string.format("%-15s %14s %14s %14s %10s %10s %8s %10s", "ordering", "ns/transition", "over plain",
      "per safepoint", "TTSP p50", "TTSP p99", "traps", "violations"))
    print(string.format("%-15s %14.2f %14s %14s", "none (unsafe)", floor, "-", "-"))
    local results = {}
    for _, ordering in ipairs(sp.orderings()) do
      local per = sp.transition_cost(ordering, p.transitions)
      local r = sp.storm { ordering = ordering, natives = p.natives, threads = p.threads, rate = p.rate,
        duration = p.duration, java_units = 1024, native_units = 16384 }
      local step = ordering == "fence" and "one fence" or sp.duration(r.ordering_ns.p50)
      print(string.format("%-15s %14.2f %14.2f %14s %10s %10s %8d %10d", ordering, per, per - floor, step,
        sp.duration(r.ttsp.p50), sp.duration(r.ttsp.p99), r.serialize_traps, r.violations))
      results[ordering] = {
        transition_ns = per, safepoint_ordering_ns = r.ordering_ns.p50, serialize_traps = r.serialize_traps,
        transitions = r.transitions, violations = r.violations, throughput_loss = r.throughput_loss,
      }
    end
    print()
    print("'per safepoint' is the coordinator's step: two mprotects, a fence, or one membarrier.")
    print("'traps' counts transitions that met the read-only serialize page and waited.")
    pl.record("unordered_transition_ns", floor)
    pl.record("orderings", results)
  end,
}
