-- The NUMA pack: placement policies on simulated multi-socket machines (the model backend), since
-- a one-node host cannot show them. Every figure these scenarios print is simulated.
return {
  name = "numa",
  version = "0.1.0",
  api = 1,
  description = "NUMA placement on simulated 2- and 4-socket machines: policies, fallback under pressure, JVM heaps",
  author = "PageLab developers",
  license = "MIT",
  scenarios = {
    { name = "policies", file = "policies.lua",
      description = "Local, interleave, preferred and bind: where the pages land, what fallback does, what accesses cost" },
    { name = "pressure", file = "pressure.lua",
      description = "One node nearly full: default and preferred fall back by distance, bind runs out, migration repairs" },
    { name = "jvm-heap", file = "jvm-heap.lua",
      description = "A Java heap on 2 and 4 nodes: G1's per-region round robin against ParallelGC's per-node eden" },
  },
}
