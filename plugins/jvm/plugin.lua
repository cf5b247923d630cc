-- The jvm pack: HotSpot's native memory laid out from real JVM flags (pagelab.jvm), for JDK 17,
-- 21 and 25, checked against real JVMs (Tests/PageJVMTests/Fixtures).
return {
  name = "jvm",
  version = "0.1.0",
  api = 1,
  description = "HotSpot native memory from JVM flags: boot layout, pretouch, G1 regions, metaspace",
  author = "PageLab",
  license = "MIT",
  scenarios = {
    { name = "boot", file = "boot.lua",
      description = "Every area a JVM maps at startup for the given flags, as NMT reports it, with resident pages" },
    { name = "pretouch", file = "pretouch.lua",
      description = "-XX:+AlwaysPreTouch against lazy touch, with and without -XX:+UseTransparentHugePages" },
  },
}
