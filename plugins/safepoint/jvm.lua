-- The real JVM beside PageLab. PageLab compiles a small program whose main thread forces a
-- ThreadDump safepoint (Thread.getAllStackTraces) `rate` times a second while `threads` threads
-- spin in compiled loops, runs it under `java -Xlog:safepoint`, and reads its "Reaching safepoint"
-- times. Then it runs its own thread-local polls (JDK 10+: the poll word and the thread page) on as
-- many threads at the same rate, first with its own coordinator (asleep on a futex that the last
-- thread to arrive wakes), then with HotSpot's: JDK 17's SafepointSynchronize looks at every
-- thread and, while some still run, nanosleeps 10 µs, which the kernel's 50 µs timer slack
-- stretches to about 60. That back-off, not the polls, is most of the JVM's "Reaching safepoint".
local pl = require "pagelab"
local sp = require "pagelab.safepoint"

return {
  description = "The real JVM's -Xlog:safepoint beside PageLab's thread-local polling",
  backends = { "host" },
  params = {
    { name = "java", type = "string", default = "java", help = "the java launcher (javac must sit beside it)" },
    { name = "threads", type = "integer", default = 2, help = "spinning mutator threads" },
    { name = "safepoints", type = "integer", default = 300, help = "safepoints on each side" },
    { name = "rate", type = "number", default = 200, help = "safepoints per second" },
  },
  run = function(p)
    local jvm = sp.java { java = p.java, threads = p.threads, safepoints = p.safepoints, interval = 1 / p.rate }
    print(string.format("java %s: %d ThreadDump safepoints, the last ones logged as:", jvm.version, jvm.safepoints))
    for i = math.max(1, #jvm.lines - 2), #jvm.lines do print("  " .. jvm.lines[i]) end
    print()

    local function percentiles(d) return { p50 = d.p50, p90 = d.p90, p99 = d.p99, max = d.max } end
    local function row(name, d)
      print(string.format("%-28s %10s %10s %10s %10s", name, sp.duration(d.p50), sp.duration(d.p90), sp.duration(d.p99),
        sp.duration(d.max)))
    end
    print(string.format("%-28s %10s %10s %10s %10s", "Reaching safepoint", "p50", "p90", "p99", "max"))
    row("JVM " .. jvm.version, jvm.reaching)
    local results = { jvm = { version = jvm.version, safepoints = jvm.safepoints, reaching_ns = percentiles(jvm.reaching) } }
    for _, case in ipairs {
      { mechanism = "poll-word", wait = "futex" }, { mechanism = "thread-page", wait = "futex" },
      { mechanism = "poll-word", wait = "backoff" }, { mechanism = "thread-page", wait = "backoff" },
    } do
      local r = sp.storm { mechanism = case.mechanism, wait = case.wait, threads = p.threads, rate = p.rate,
        safepoints = p.safepoints, duration = p.safepoints / p.rate * 2 + 1, throughput = false }
      local name = case.mechanism .. (case.wait == "backoff" and ", back-off" or "")
      row("PageLab " .. name, r.reaching)
      results[name] = { safepoints = r.safepoints, reaching_ns = percentiles(r.reaching) }
    end
    pl.record("comparison", results)
  end,
}
