-- The host pack: what this machine does with pages, measured on the host backend.
return {
  name = "host",
  version = "0.1.0",
  api = 1,
  description = "Page sizes, commit against resident, and pretouch, measured on this host",
  author = "PageLab developers",
  license = "MIT",
  scenarios = {
    { name = "page-sizes", file = "page-sizes.lua",
      description = "Page sizes and large-page support as HotSpot detects them" },
    { name = "commit-vs-resident", file = "commit-vs-resident.lua",
      description = "Reserve, commit, touch: committed is not resident, and reads map the zero page" },
    { name = "pretouch", file = "pretouch.lua",
      description = "AlwaysPreTouch with 1 and 2 threads against lazy first touch, 4 KiB pages against THP" },
  },
}
