-- The safepoint pack: HotSpot's ways of stopping threads, run natively on this host.
return {
  name = "safepoint",
  version = "0.1.0",
  api = 1,
  description = "Safepoint storms, stragglers, poll mechanisms and the memory serialize page, measured on this host",
  author = "PageLab developers",
  license = "MIT",
  scenarios = {
    { name = "storm", file = "storm.lua",
      description = "Safepoints at a rate or back to back: time to safepoint and the throughput they cost" },
    { name = "straggler", file = "straggler.lua",
      description = "A counted loop without polls delays every safepoint for everyone" },
    { name = "mechanisms", file = "mechanisms.lua",
      description = "Global page, thread-local page, poll word and dispatch table side by side" },
    { name = "serialization", file = "serialization.lua",
      description = "The memory serialize page against a fence per transition against membarrier" },
    { name = "rate-curve", file = "rate-curve.lua",
      description = "Mutator throughput against safepoint rate" },
    { name = "jvm", file = "jvm.lua",
      description = "The real JVM's -Xlog:safepoint beside PageLab's thread-local polling" },
  },
}
