-- The jvm pack: HotSpot's native memory laid out from real JVM flags (pagelab.jvm), for JDK 17,
-- 21 and 25, checked against real JVMs (Tests/PageJVMTests/Fixtures), and driven at run time
-- (G1's regions and metaspace's class loaders).
return {
  name = "jvm",
  version = "0.1.0",
  api = 1,
  description = "HotSpot native memory from JVM flags: boot layout, pretouch, G1 regions, humongous objects, metaspace, ZGC multi-mapping",
  author = "PageLab developers",
  license = "MIT",
  scenarios = {
    { name = "boot", file = "boot.lua",
      description = "Every area a JVM maps at startup for the given flags, as NMT reports it, with resident pages" },
    { name = "pretouch", file = "pretouch.lua",
      description = "-XX:+AlwaysPreTouch against lazy touch, with and without -XX:+UseTransparentHugePages" },
    { name = "g1-regions", file = "g1-regions.lua",
      description = "G1 heap layout and region life cycle: eden, survivors, promotion, full GC, shrink, paced uncommit" },
    { name = "humongous", file = "humongous.lua",
      description = "Humongous objects: strictly more than half a region, contiguous regions, waste, eager reclaim" },
    { name = "metaspace", file = "metaspace.lua",
      description = "Metaspace growth and class unloading: chunks, granules, the GC high-water mark, reclaim per JDK" },
    { name = "zgc", file = "zgc.lua",
      description = "ZGC's multi-mapped heap: one memfd committed once, three views, RSS counting it three times" },
  },
}
