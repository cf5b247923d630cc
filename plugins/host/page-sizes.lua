-- Page sizes as HotSpot detects them (os_linux.cpp / hugepages.cpp, hotspot.md §6): the base page
-- from sysconf, the default huge page from /proc/meminfo "Hugepagesize:", every hugetlb size from
-- /sys/kernel/mm/hugepages, the THP mode and size from /sys/kernel/mm/transparent_hugepage.
-- The lines follow -Xlog:pagesize of JDK 17.0.10+ and 21.0.1+.
local pl = require "pagelab"

return {
  description = "Page sizes and large-page support as HotSpot detects them (-Xlog:pagesize)",
  params = {},
  run = function()
    local host = pl.host()
    local function k(bytes) return (pl.format(bytes):gsub("K$", "k")) end

    print("[pagesize] Static hugepage support:")
    for _, size in ipairs(host.huge_page_sizes) do
      local pool = host.hugetlb_pools[tostring(size)] or { total = 0, free = 0 }
      print(string.format("[pagesize]   hugepage size: %s (pool: %d pages, %d free)", k(size), pool.total, pool.free))
    end
    print(string.format("[pagesize]   default hugepage size: %s", k(host.default_huge_page_size)))
    print("[pagesize] Transparent hugepage (THP) support:")
    print(string.format("[pagesize]   THP mode: %s", host.thp_mode))
    print(string.format("[pagesize]   THP pagesize: %s", k(host.thp_page_size)))

    -- What -XX:+UseLargePages would get: hugetlbfs only with a non-empty pool (HotSpot never
    -- picks THP by itself); with -XX:+UseTransparentHugePages, THP unless the mode is never.
    local usable = { k(host.page_size) }
    local pooled = false
    for _, size in ipairs(host.huge_page_sizes) do
      local pool = host.hugetlb_pools[tostring(size)]
      if pool and pool.total > 0 then usable[#usable + 1] = k(size); pooled = true end
    end
    print(string.format("[pagesize] Usable page sizes (hugetlbfs): %s", table.concat(usable, ", ")))
    if not pooled then
      print("[pagesize] -XX:+UseLargePages: UseLargePages disabled, no large pages configured and available on the system.")
    end
    if host.thp_mode == "never" then
      print("[pagesize] -XX:+UseTransparentHugePages: TransparentHugePages is not supported by the operating system.")
    else
      print(string.format("[pagesize] -XX:+UseTransparentHugePages: Usable page sizes: %s, %s", k(host.page_size), k(host.thp_page_size)))
    end

    pl.record("page_size", host.page_size)
    pl.record("default_huge_page_size", host.default_huge_page_size)
    pl.record("huge_page_sizes", host.huge_page_sizes)
    pl.record("thp_mode", host.thp_mode)
    pl.record("thp_page_size", host.thp_page_size)
  end,
}
