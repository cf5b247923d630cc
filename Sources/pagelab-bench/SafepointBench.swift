// Time to safepoint: PageLab's engine, driven from Lua, beside the minimal C program in
// Sources/CBaseline/safepoint_baseline.c, for the two mechanisms linux-kernel.md §6 measured
// (≈1.4 µs poll word and ≈27 µs global page, median, 2 threads).
import CBaseline
import Glibc
import PageLabLua

let safepointThreads = 2, safepointsPerRun = 2000
let safepointPeriod = 250_000  // ns: 4,000 safepoints a second

/// One PageLab run: the median TTSP of `safepointsPerRun` safepoints.
@MainActor func pagelabTTSP(_ mechanism: String) throws -> Int {
    try lua("""
        local r = require("pagelab.safepoint").storm { mechanism = "\(mechanism)", threads = \(safepointThreads),
            rate = \(1_000_000_000 / safepointPeriod), safepoints = \(safepointsPerRun), duration = "60s", throughput = false }
        return r.ttsp.p50
        """)
}

func microseconds(_ ns: Int) -> String { String((Double(ns) / 10).rounded() / 100) + " µs" }

/// Runs the two comparisons and prints their table; returns whether both met the 1.2 target.
@MainActor func safepointBenchmarks() throws -> Bool {
    let comparisons = [
        Comparison(name: "(d) TTSP poll-word, \(safepointThreads) threads", target: 1.2,
                   pagelab: { try pagelabTTSP("poll-word") },
                   baseline: { Int(bl_safepoint_ttsp(1, Int32(safepointThreads), Int32(safepointsPerRun), UInt64(safepointPeriod))) }),
        Comparison(name: "(e) TTSP global-page, \(safepointThreads) threads", target: 1.2,
                   pagelab: { try pagelabTTSP("global-page") },
                   baseline: { Int(bl_safepoint_ttsp(0, Int32(safepointThreads), Int32(safepointsPerRun), UInt64(safepointPeriod))) }),
    ]
    print("\nSafepoints: median time to safepoint of \(safepointsPerRun) safepoints at \(1_000_000_000 / safepointPeriod)/s per run")
    var rows: [[String]] = []
    var met = true
    for comparison in comparisons {
        let result = try measure(comparison)
        met = met && result.ratio <= comparison.target
        rows.append([comparison.name, microseconds(result.pagelab), microseconds(result.baseline),
                     String((result.ratio * 100).rounded() / 100), "≤ \(comparison.target)", result.ratio <= comparison.target ? "met" : "MISSED"])
    }
    print(TextTable.render(header: ["comparison", "pagelab", "baseline", "ratio", "target", ""], rows: rows, rightAligned: [1, 2, 3]))
    return met
}
