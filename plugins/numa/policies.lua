-- Memory policies (set_mempolicy(2)/mbind(2)) on a simulated machine: the same heap written by
-- threads on node 0 under each policy. local (first touch) fills node 0 and then falls back to the
-- nearest node; interleave spreads pages over every node page by page; preferred behaves like local
-- towards a chosen node; bind never leaves its nodes and runs out of memory instead. The access
-- cost is the average SLIT distance of uniform accesses over 10 (linux-kernel.md, seed 001).
local pl = require "pagelab"
local numa = require "pagelab.numa"

return {
  description = "Local, interleave, preferred and bind: where the pages land, what fallback does, what accesses cost",
  params = {
    { name = "machine", type = "string", default = "2-socket", choices = { "2-socket", "4-socket", "2-socket-snc" },
      help = "simulated machine (a preset)" },
    { name = "node_memory", type = "size", default = "2g", help = "memory of each node" },
    { name = "heap", type = "size", default = "3g", help = "memory the application writes" },
    { name = "threads", type = "integer", default = 4, help = "writing threads, all on node 0" },
  },
  run = function(p)
    local cases = {
      { name = "local", policy = nil },
      { name = "interleave", policy = "interleave" },
      { name = "preferred 0", policy = "preferred", nodes = 0 },
      { name = "bind 0", policy = "bind", nodes = 0 },
    }
    local rows = {}
    print(string.format("%s, %s per node, %s written by %d threads on node 0 (simulated)\n",
      p.machine, pl.format(p.node_memory), pl.format(p.heap), p.threads))
    for _, case in ipairs(cases) do
      local m <close> = pl.space{ numa = { preset = p.machine, memory = p.node_memory } }
      local all = {}
      for _, node in ipairs(numa.topology(m).nodes) do all[#all + 1] = node.id end
      local heap = m:reserve(p.heap, { name = "heap" })
      heap:commit()
      if case.policy then
        heap:bind(0, p.heap, { policy = case.policy, nodes = case.nodes or all })
      end
      local ok, err = pcall(heap.touch, heap, 0, p.heap, { threads = p.threads, node = 0 })
      local s = heap:stats()
      local placed = {}
      for _, node in ipairs(all) do placed[#placed + 1] = string.format("N%d=%s", node, pl.format(s.nodes[node] or 0)) end
      local row = { case = case.name, nodes = s.nodes, resident = s.resident, failed = not ok }
      if s.resident > 0 then
        row.cost_from_node0 = numa.access_cost(heap, { from = 0 }).relative
        row.cost_from_all = numa.access_cost(heap, { from = all }).relative
      end
      rows[#rows + 1] = row
      print(string.format("%-12s %s", case.name, table.concat(placed, " ")))
      if ok then
        print(string.format("%-12s accesses from node 0 cost %.2f× local; from threads on every node %.2f×",
          "", row.cost_from_node0, row.cost_from_all))
      else
        print(string.format("%-12s %s", "", tostring(err):gsub("^.-: ", "")))
      end
    end
    pl.record("cases", rows)
    local series, nodes = {}, {}
    for _, row in ipairs(rows) do
      for node in pairs(row.nodes) do nodes[node] = true end
    end
    for node = 0, 63 do
      if nodes[node] then
        local points = {}
        for _, row in ipairs(rows) do points[#points + 1] = { row.case, row.nodes[node] or 0 } end
        series[#series + 1] = { name = "node " .. node, points = points }
      end
    end
    pl.chart{ kind = "bars", stacked = true, title = string.format("Where %s written from node 0 lands, per policy (%s)",
      pl.format(p.heap), p.machine), x = "policy", y = { label = "resident", unit = "bytes" }, series = series }
  end,
}
