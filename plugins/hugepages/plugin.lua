-- The hugepages pack: 4 KiB pages against transparent and hugetlb huge pages, measured on this
-- host where it can be and simulated where it cannot (the TLB: no hardware counters in our VMs).
return {
  name = "hugepages",
  version = "0.1.0",
  api = 1,
  description = "4 KiB pages against THP and hugetlb: faults, page tables, TLB reach and misses, page walks",
  author = "PageLab developers",
  license = "MIT",
  scenarios = {
    { name = "tlb-reach", file = "tlb-reach.lua",
      description = "4K against THP (against hugetlb with a pool): faults, time, page tables, and simulated TLB misses per pattern" },
    { name = "page-walk", file = "page-walk.lua",
      description = "Addresses split into PGD/PUD/PMD/PTE indexes, and the entries pagemap finds for 4K, THP, zero and untouched pages" },
    { name = "tlb-claims", file = "tlb-claims.lua",
      description = "Seeds 001 and 003's TLB claims checked against the TLB model" },
  },
}
