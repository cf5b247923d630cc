-- A Java heap with -XX:+UseNUMA on 2 and 4 nodes (hotspot.md §8), written directly with regions
-- and policies.
--
-- G1 (g1NUMA.cpp): heap region i prefers node i % nodes; at commit each region gets MPOL_PREFERRED
-- for its node (os::numa_make_local). Mutators allocate in eden regions of their own node, so
-- their writes are local; a GC worker copying into a region gets the region's node, wherever the
-- worker runs, because the policy is per region.
--
-- ParallelGC (mutableNUMASpace.cpp): eden is split into one chunk per node, each freed and then
-- made preferred-local (bias_region), so mutators on node k first-touch chunk k; old gen is
-- interleaved page by page (UseNUMAInterleaving, on ergonomically with UseNUMA).
local pl = require "pagelab"
local numa = require "pagelab.numa"

local function spread(stats, nodes)
  local parts = {}
  for node = 0, nodes - 1 do parts[#parts + 1] = string.format("N%d=%s", node, pl.format(stats.nodes[node] or 0)) end
  return table.concat(parts, " ")
end

return {
  description = "A Java heap on 2 and 4 nodes: G1's per-region round robin against ParallelGC's per-node eden",
  params = {
    { name = "heap", type = "size", default = "8g", help = "-Xmx = -Xms" },
    { name = "region", type = "size", default = "4m", help = "G1 region size" },
    { name = "young", type = "size", default = "2g", help = "young generation (eden) size" },
    { name = "used", type = "size", default = "1g", help = "old generation bytes written by GC workers" },
  },
  run = function(p)
    local results = {}
    for _, machine in ipairs({ "2-socket", "4-socket" }) do
      local m <close> = pl.space{ numa = { preset = machine, memory = "16g" } }
      local nodes = #numa.topology(m).nodes
      print(string.format("== %s (%d nodes), heap %s (simulated)", machine, nodes, pl.format(p.heap)))

      -- G1: the heap at the zero-based compressed-oops address, committed region by region.
      local g1 = m:reserve(p.heap, { name = "G1 heap", at = 0x600000000 })
      local regions = p.heap // p.region
      for i = 0, regions - 1 do
        g1:commit(i * p.region, p.region)
        g1:bind(i * p.region, p.region, { policy = "preferred", nodes = i % nodes })
      end
      -- Mutators: eden regions are the first young/region ones; each is filled by a thread on
      -- the region's own node (G1 hands a thread eden regions of its node).
      for i = 0, p.young // p.region - 1 do g1:touch(i * p.region, p.region, { node = i % nodes }) end
      -- GC workers, all on node 0, copy survivors into old regions: preferred keeps them spread.
      g1:touch(p.young, p.used, { node = 0, threads = 4 })
      local eden, old = g1:stats(0, p.young), g1:stats(p.young, p.used)
      local eden_cost = numa.access_cost(g1, { from = 0, offset = 0, length = p.region })
      print(string.format("G1       eden %-40s old %s", spread(eden, nodes), spread(old, nodes)))
      print(string.format("         a mutator on node 0 reading its own eden region: %.2f× local", eden_cost.relative))
      print("         numa_maps of the first regions:")
      local lines = {}
      for line in g1:numa_maps():gmatch("[^\n]+") do if #lines < nodes + 1 then lines[#lines + 1] = "           " .. line end end
      print(table.concat(lines, "\n"))
      g1:close()

      -- ParallelGC: young then old in one reservation; eden chunk k preferred on node k.
      local ps = m:reserve(p.heap, { name = "Parallel heap", at = 0x600000000 })
      ps:commit()
      local chunk = p.young // nodes
      for k = 0, nodes - 1 do
        ps:advise(k * chunk, chunk, "dontneed")
        ps:bind(k * chunk, chunk, { policy = "preferred", nodes = k })
        ps:touch(k * chunk, chunk, { node = k })
      end
      local all = {}
      for k = 0, nodes - 1 do all[#all + 1] = k end
      ps:bind(p.young, p.heap - p.young, { policy = "interleave", nodes = all })
      ps:touch(p.young, p.used, { node = 0, threads = 4 })
      local peden, pold = ps:stats(0, p.young), ps:stats(p.young, p.used)
      print(string.format("Parallel eden %-40s old %s", spread(peden, nodes), spread(pold, nodes)))
      print(string.format("         a mutator on node 0 in its eden chunk: %.2f× local; GC threads on every node reading old: %.2f×",
        numa.access_cost(ps, { from = 0, offset = 0, length = chunk }).relative,
        numa.access_cost(ps, { from = all, offset = p.young, length = p.used }).relative))
      print()
      results[machine] = {
        g1 = { eden = eden.nodes, old = old.nodes, mutator_cost = eden_cost.relative },
        parallel = { eden = peden.nodes, old = pold.nodes },
      }
      ps:close()
    end
    pl.record("machines", results)
  end,
}
