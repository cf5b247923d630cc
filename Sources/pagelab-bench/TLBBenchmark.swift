// The TLB model beside the bare address stream it translates: the same pattern generator and
// the same extent lookup folding each address into a checksum, with no TLB. The ratio is what the
// TLB model adds; the target is on the model's own rate (issue 5: ≥ 50 million simulated
// accesses per second).
import Glibc
import PageCore
import PageLabLua

/// Runs the comparisons and prints their table; returns whether every case met the target.
func tlbBenchmark(repetitions: Int) throws -> Bool {
    let accesses = 10_000_000
    let target = 50.0  // million accesses per second
    let gib = 1 << 30
    func footprint(_ parts: [(Int, TLBPageSize)]) throws -> TLBFootprint {
        try TLBFootprint.laidOut(parts.map { (length: $0.0, pageSize: $0.1) }, from: 0x7f00_0000_0000)
    }
    let small = try footprint([(gib, .size4K)])
    let mixed = try footprint([(gib / 2, .size4K), (gib / 2, .size2M), (gib, .size4K), (gib, .size2M)])
    let cases: [(String, TLBWorkload)] = [
        ("sequential 64 B, 1 GiB of 4K pages", TLBWorkload(footprint: small, pattern: .sequential(stride: 64), accesses: accesses)),
        ("strided 4 KiB, 1 GiB of 4K pages", TLBWorkload(footprint: small, pattern: .sequential(stride: 4096), accesses: accesses)),
        ("random, 1 GiB of 4K pages", TLBWorkload(footprint: small, pattern: .uniformRandom(item: 64), accesses: accesses)),
        ("random, 3 GiB of 4K and 2M extents mixed", TLBWorkload(footprint: mixed, pattern: .uniformRandom(item: 64), accesses: accesses)),
        ("zipf 0.99, 1 GiB of 4K pages", TLBWorkload(footprint: small, pattern: .zipf(item: 64, exponent: 0.99), accesses: accesses)),
        ("pointer chase, 1 GiB of 4K pages", TLBWorkload(footprint: small, pattern: .pointerChase(item: 64), accesses: accesses)),
    ]
    // CPU time of this thread: the simulation is single-threaded and CPU-bound, and the
    // machines are shared, so time spent waiting for a CPU would only add noise.
    func timed(_ body: () throws -> Void) rethrows -> Int {
        func now() -> Int {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return time.tv_sec * 1_000_000_000 + time.tv_nsec
        }
        let start = now()
        try body()
        return now() - start
    }
    func rate(_ ns: Int) -> Double { Double(accesses) / Double(max(ns, 1)) * 1e3 }

    print("\nTLB model: \(accesses) accesses per run, \(repetitions) paired runs after a warm-up; medians of thread CPU time")
    var rows: [[String]] = []
    var allMet = true
    var checksums: UInt64 = 0
    for (name, workload) in cases {
        let model = { _ = try TLBSimulator.simulate(workload) }
        let stream = { checksums &+= try TLBSimulator.addressChecksum(workload) }
        try model()
        try stream()
        var modelTimes: [Int] = [], streamTimes: [Int] = [], ratios: [Double] = []
        for index in 0..<repetitions {
            let (a, b) = index.isMultiple(of: 2)
                ? (try timed(model), try timed(stream))
                : try { let b = try timed(stream); return (try timed(model), b) }()
            modelTimes.append(a)
            streamTimes.append(b)
            ratios.append(Double(a) / Double(max(b, 1)))
        }
        let modelRate = rate(median(modelTimes)), streamRate = rate(median(streamTimes))
        let met = modelRate >= target
        allMet = allMet && met
        rows.append([name, String(format1(modelRate)), String(format1(streamRate)), String(format1(median(ratios))),
                     "≥ \(Int(target))", met ? "met" : "MISSED"])
    }
    print(TextTable.render(header: ["TLB model (M accesses/s)", "model", "stream alone", "ratio", "target", ""],
                           rows: rows, rightAligned: [1, 2, 3]))
    print("(stream checksum \(String(checksums, radix: 16)))")
    return allMet
}

private func format1(_ value: Double) -> String {
    String((value * 10).rounded() / 10)
}
