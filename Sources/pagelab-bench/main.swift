// Runs PageLab and a plain C baseline side by side, in one process and one invocation, and prints
// the median of the paired ratios for each comparison (scripts/bench). The machines are shared and
// noisy: runs alternate between the two sides, start with a warm-up, and report medians.
import CBaseline
import CLua
import Glibc
import LuaBridge
import PageCore
import PageLabLua

/// `pagelab-bench [RUNS] [SECTION...]`: the number of paired runs (default 7), then which sections
/// to run (all by default), so that work on one part can be measured without waiting for the rest.
let sectionNames = ["host", "jvm", "tlb", "model", "safepoint"]
let arguments = Array(CommandLine.arguments.dropFirst())
let repetitions = arguments.first.flatMap { Int($0) } ?? 7
let chosen = Set(arguments.drop { Int($0) != nil })
if let unknown = chosen.subtracting(sectionNames).sorted().first {
    let message = "pagelab-bench: unknown section '\(unknown)' (sections: \(sectionNames.joined(separator: ", ")))\n"
    _ = message.withCString { write(2, $0, strlen($0)) }
    exit(64)
}
func runs(_ section: String) -> Bool { chosen.isEmpty || chosen.contains(section) }
let gib = 1 << 30

let workbench = try Workbench(budget: CommitBudget.standard())
let vm = workbench.vm
vm.registerModule("bench", functions: [
    LuaFunction("now", returns: "integer", summary: "CLOCK_MONOTONIC in ns") { call in
        call.push(Int(bl_now()))
        return 1
    },
])
lua_pushcclosure(vm.state, bl_noop, 0)
vm.setGlobal("noop", valueAt: -1)
lua_settop(vm.state, -2)
try vm.run("bench = require 'bench'")

@MainActor func lua(_ source: String) throws -> Int {
    try vm.run(source, chunkName: "=bench").first?.integerValue ?? 0
}

/// PageLab's first touch: reserve, commit, 4 KiB pages, `touch` from Lua, timed around the call.
@MainActor func pagelabFirstTouch(threads: Int) throws -> Int {
    try lua("""
        local r <close> = pl.reserve(\(gib), { align = "2m" })
        r:commit()
        r:advise(0, \(gib), "nohugepage")
        local t0 = bench.now()
        r:touch(0, \(gib), { threads = \(threads) })
        return bench.now() - t0
        """)
}

/// The baseline: mmap, 4 KiB pages, a C loop writing one byte per page.
func baselineFirstTouch(threads: Int) -> Int {
    let base = mmap(nil, gib, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)!
    madvise(base, gib, MADV_NOHUGEPAGE)
    defer { munmap(base, gib) }
    return Int(bl_first_touch(base, gib, Int32(threads)))
}

struct Comparison {
    let name: String
    let target: Double
    let pagelab: () throws -> Int
    let baseline: () throws -> Int
}

func median<T: Comparable>(_ values: [T]) -> T { values.sorted()[values.count / 2] }

func measure(_ comparison: Comparison) throws -> (name: String, pagelab: Int, baseline: Int, ratio: Double) {
    _ = try comparison.pagelab()  // warm-up: memory back from the host, code paths hot
    _ = try comparison.baseline()
    var ours: [Int] = [], theirs: [Int] = [], ratios: [Double] = []
    for index in 0..<repetitions {
        // Alternate which side goes first, so that neither always inherits the other's leftovers.
        let (a, b) = index.isMultiple(of: 2)
            ? (try comparison.pagelab(), try comparison.baseline())
            : try { let b = try comparison.baseline(); return (try comparison.pagelab(), b) }()
        ours.append(a)
        theirs.append(b)
        ratios.append(Double(a) / Double(max(b, 1)))
    }
    return (comparison.name, median(ours), median(theirs), median(ratios))
}

func milliseconds(_ ns: Int) -> String {
    let value = Double(ns) / 1e6
    return value >= 10 ? String(Int(value.rounded())) + " ms" : String((value * 100).rounded() / 100) + " ms"
}

/// The touched 1 GiB region that (b) reads, set up only when the host section runs.
@MainActor func statsRegion() throws -> UnsafeMutableRawPointer {
    _ = try lua("""
        R = pl.reserve(\(gib), { name = "stats", align = "2m" })
        R:commit(); R:advise(0, \(gib), "nohugepage"); R:touch()
        return 0
        """)
    return UnsafeMutableRawPointer(bitPattern: try lua("return R.base"))!
}
let statsBase = runs("host") ? try statsRegion() : nil

let hostComparisons = [
    Comparison(name: "(a) first touch 1 GiB, 4 KiB pages, 1 thread", target: 1.05,
               pagelab: { try pagelabFirstTouch(threads: 1) }, baseline: { baselineFirstTouch(threads: 1) }),
    Comparison(name: "(a) first touch 1 GiB, 4 KiB pages, 2 threads", target: 1.05,
               pagelab: { try pagelabFirstTouch(threads: 2) }, baseline: { baselineFirstTouch(threads: 2) }),
    Comparison(name: "(b) statistics of a touched 1 GiB vs pagemap read", target: 1.5,
               pagelab: { try lua("local t0 = bench.now(); R:stats(); return bench.now() - t0") },
               baseline: {
                   var present = 0
                   let ns = Int(bl_pagemap_read(statsBase!, gib, &present))
                   precondition(present == gib / 4096, "the baseline saw \(present) present pages")
                   return ns
               }),
    Comparison(name: "(c) 1,000,000 calls of pl.page_size vs a bare lua_CFunction", target: 3,
               pagelab: { try lua("local f, t0 = pl.page_size, bench.now(); for i = 1, 1e6 do f() end; return bench.now() - t0") },
               baseline: { try lua("local f, t0 = noop, bench.now(); for i = 1, 1e6 do f() end; return bench.now() - t0") }),
]
let comparisons = (runs("host") ? hostComparisons : []) + (runs("jvm") ? jvmComparisons() : [])

print("PageLab \(HostManifest.pagelabVersion) benchmarks: \(repetitions) paired runs each after a warm-up; medians")
var rows: [[String]] = []
var failed = false
for comparison in comparisons {
    let result = try measure(comparison)
    let met = result.ratio <= comparison.target
    failed = failed || !met
    rows.append([comparison.name, milliseconds(result.pagelab), milliseconds(result.baseline),
                 String((result.ratio * 100).rounded() / 100), "≤ \(comparison.target)", met ? "met" : "MISSED"])
}
if statsBase != nil { try vm.run("R:close()") }
if !rows.isEmpty {
    print(TextTable.render(header: ["comparison", "pagelab", "baseline", "ratio", "target", ""], rows: rows,
                           rightAligned: [1, 2, 3]))
}
if runs("tlb") { failed = try !tlbBenchmark(repetitions: repetitions) || failed }
if runs("model") { failed = try !runModelBenchmarks(repetitions: repetitions) || failed }
if runs("safepoint") { failed = try !safepointBenchmarks() || failed }
exit(failed ? 1 : 0)
