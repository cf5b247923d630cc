-- Memory pressure on one node. Another workload (the "hog", bound to node 0) holds most of node 0;
-- the application then writes from threads on node 0. Under the default policy the kernel takes
-- what node 0 still has and falls back to the nearest node by SLIT distance (numastat: numa_miss on
-- the node that got the pages, numa_foreign on the node that should have); preferred does the
-- same; bind to node 0 runs out of memory instead of falling back; interleave keeps interleaving
-- until node 0 is full. When the hog goes, move_pages brings the pages home.
local pl = require "pagelab"
local numa = require "pagelab.numa"

return {
  description = "One node nearly full: default and preferred fall back by distance, bind runs out, migration repairs",
  params = {
    { name = "node_memory", type = "size", default = "2g", help = "memory of each of the 4 nodes" },
    { name = "hog", type = "size", default = "1792m", help = "memory the other workload holds on node 0" },
    { name = "app", type = "size", default = "1g", help = "memory the application writes" },
  },
  run = function(p)
    -- Node 0 is near node 1 (16) and far from nodes 2 and 3 (32): fallback goes to node 1 first.
    local machine = { nodes = 4, memory = p.node_memory,
      distance = { { 10, 16, 32, 32 }, { 16, 10, 32, 32 }, { 32, 32, 10, 16 }, { 32, 32, 16, 10 } } }
    local rows = {}
    for _, case in ipairs({
      { name = "default" }, { name = "preferred 0", policy = "preferred", nodes = 0 },
      { name = "bind 0", policy = "bind", nodes = { 0 } }, { name = "interleave 0,1", policy = "interleave", nodes = { 0, 1 } },
    }) do
      local m <close> = pl.space{ numa = machine }
      local hog = m:reserve(p.hog, { name = "hog" })
      hog:commit()
      hog:bind(0, p.hog, { policy = "bind", nodes = 0 })
      hog:touch()
      local app = m:reserve(p.app, { name = "app" })
      app:commit()
      if case.policy then app:bind(0, p.app, { policy = case.policy, nodes = case.nodes }) end
      local ok, err = pcall(app.touch, app, 0, p.app, { node = 0 })
      local s = app:stats()
      print(string.format("== %s: %s", case.name, ok and "all pages placed" or tostring(err):gsub("^.-: ", "")))
      print(numa.numastat(m))
      local row = { case = case.name, nodes = s.nodes, failed = not ok }
      if s.resident > 0 then row.cost = numa.access_cost(app, { from = 0 }).relative end
      if ok and case.name == "default" then
        hog:close()
        local moved = app:migrate(0, p.app, 0).moved  -- move_pages to node 0
        row.moved_home = moved
        row.cost_after_migration = numa.access_cost(app, { from = 0 }).relative
        print(string.format("after the hog exits, migration moved %s home: accesses from node 0 cost %.2f× instead of %.2f×\n",
          pl.format(moved * pl.page_size()), row.cost_after_migration, row.cost))
      end
      rows[#rows + 1] = row
    end
    pl.record("cases", rows)
  end,
}
