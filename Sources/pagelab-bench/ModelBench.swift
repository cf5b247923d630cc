// The model backend's speed and size (issue 5): a 1 TiB reservation with 64 GiB touched, a million
// scattered first touches, and an 8 GiB pretouch on the model beside the same on the host.
import CBaseline
import Glibc
import PageCore
import PageLabLua

/// A model machine with room for the touches: one node of 128 GiB, 4 KiB pages only.
func benchMachine() throws -> SimulatedMachine {
    try SimulatedMachine(topology: NUMATopology(count: 1, memory: [128 << 30]), thpMode: "never")
}

/// Reserve 1 TiB at HotSpot's heap base, commit and touch 64 GiB (interleaved over two nodes with
/// `interleaved`); the time and how much the process's RSS grew while the model held it.
func modelTerabyte(interleaved: Bool = false) throws -> (ns: Int, bytes: Int) {
    let machine = interleaved
        ? try SimulatedMachine(topology: NUMATopology(count: 2, memory: [64 << 30]), thpMode: "never") : try benchMachine()
    let space = AddressSpace(backend: .model(machine))
    defer { space.releaseAll() }
    let before = ProcessStats.current().rss
    let start = bl_now()
    let heap = try space.reserve(size: 1 << 40, options: ReserveOptions(name: "heap", at: 0x6_0000_0000))
    try heap.commit(offset: 0, length: 64 << 30)
    if interleaved { try heap.bind(offset: 0, length: 64 << 30, policy: MemoryPolicy(.interleave, nodes: [0, 1])) }
    try heap.touch(offset: 0, length: 64 << 30)
    let ns = Int(bl_now() - start)
    let stats = try heap.stats()
    precondition(stats.resident == 64 << 30, "the model touched \(stats.resident) bytes, not 64 GiB")
    precondition(!interleaved || stats.nodes == [0: 32 << 30, 1: 32 << 30], "interleaving put \(stats.nodes) on the nodes")
    return (ns, ProcessStats.current().rss - before)
}

/// This thread's CPU time in ns: the model computes on one thread, and on a shared machine its
/// wall time would measure the other jobs as much as the model.
func threadCPUTime() -> Int {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return now.tv_sec * 1_000_000_000 + now.tv_nsec
}

/// One million first touches of random pages of a 64 GiB region; returns the CPU time and faults.
func modelScatteredTouches(_ pages: [Int]) throws -> (ns: Int, faults: Int) {
    let space = AddressSpace(backend: .model(try benchMachine()))
    defer { space.releaseAll() }
    let region = try space.reserve(size: 64 << 30)
    try region.commit(offset: 0, length: 64 << 30)
    let start = threadCPUTime()
    let result = try region.touch(pages: pages)
    return (threadCPUTime() - start, result.minflt)
}

/// An 8 GiB pretouch of 4 KiB pages by one thread, on `backend`.
func pretouch8G(_ backend: Backend) throws -> Int {
    let size = 8 << 30
    let space = AddressSpace(budget: CommitBudget.standard(), backend: backend)
    defer { space.releaseAll() }
    let heap = try space.reserve(size: size, options: ReserveOptions(align: 2 << 20))
    try heap.commit(offset: 0, length: size)
    try heap.advise(offset: 0, length: size, .nohugepage)
    let start = bl_now()
    try heap.touch(offset: 0, length: size)
    return Int(bl_now() - start)
}

/// Runs the model benchmarks and prints their table; returns whether every target was met.
func runModelBenchmarks(repetitions: Int) throws -> Bool {
    var generator = SystemRandomNumberGenerator()
    let pages = (0..<1_000_000).map { _ in Int.random(in: 0..<(64 << 30) / 4096, using: &generator) }
    _ = try modelTerabyte()  // warm-up
    _ = try modelTerabyte(interleaved: true)
    var times: [Int] = [], sizes: [Int] = [], rates: [Double] = []
    var interleavedTimes: [Int] = [], interleavedSizes: [Int] = []
    for _ in 0..<repetitions {
        let terabyte = try modelTerabyte()
        times.append(terabyte.ns)
        sizes.append(terabyte.bytes)
        let interleaved = try modelTerabyte(interleaved: true)
        interleavedTimes.append(interleaved.ns)
        interleavedSizes.append(interleaved.bytes)
        let scattered = try modelScatteredTouches(pages)
        rates.append(Double(scattered.faults) / (Double(scattered.ns) / 1e9))
    }
    let pretouch = try measure(Comparison(
        name: "(m4) 8 GiB pretouch, 4 KiB pages, 1 thread: model time / host time", target: 0.05,
        pagelab: { try pretouch8G(.model(try benchMachine())) }, baseline: { try pretouch8G(.host) }))
    let time = median(times), size = median(sizes), rate = median(rates)
    let interleavedTime = median(interleavedTimes), interleavedSize = median(interleavedSizes)
    let rows = [
        ["(m1) model: reserve 1 TiB, touch 64 GiB", milliseconds(time), "< 1000 ms", time < 1_000_000_000 ? "met" : "MISSED"],
        ["(m2) model: its RSS growth meanwhile", "\(size >> 20) MiB", "< 100 MiB", size < 100 << 20 ? "met" : "MISSED"],
        ["(m1i) the same interleaved over 2 nodes", milliseconds(interleavedTime), "< 1000 ms",
         interleavedTime < 1_000_000_000 ? "met" : "MISSED"],
        ["(m2i) its RSS growth meanwhile", "\(interleavedSize >> 20) MiB", "< 100 MiB", interleavedSize < 100 << 20 ? "met" : "MISSED"],
        ["(m3) model: 1M random first touches (CPU time)", String(format: "%.1f M faults/s", rate / 1e6), "≥ 10 M/s", rate >= 10e6 ? "met" : "MISSED"],
        [pretouch.name, "\(milliseconds(pretouch.pagelab)) / \(milliseconds(pretouch.baseline))",
         "≤ 0.05", pretouch.ratio <= 0.05 ? "met (\(String(format: "%.4f", pretouch.ratio)))" : "MISSED (\(pretouch.ratio))"],
    ]
    print()
    print("Model backend: \(repetitions) runs each after a warm-up; medians")
    print(TextTable.render(header: ["benchmark", "figure", "target", ""], rows: rows, rightAligned: [1]))
    return rows.allSatisfy { $0[3].hasPrefix("met") }
}
