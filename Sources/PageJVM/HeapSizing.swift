/// The heap's maximum, initial and minimum sizes before alignment, as `Arguments::set_heap_size`
/// computes them from physical memory (capped at `MaxRAM`) and the RAM percentages.
struct HeapSizing {
    let max: Int
    let initial: Int
    let minimum: Int

    init(_ arguments: JVMArguments, machine: JVMMachine, maxCoopHeap: Int) throws(JVMError) {
        let percentageFlags = ["MaxRAMPercentage", "MinRAMPercentage", "InitialRAMPercentage", "MaxRAM"]
        let overrideCoopLimit = percentageFlags.contains(where: arguments.isExplicit)
        let physical = arguments.isExplicit("MaxRAM") ? arguments.integer("MaxRAM") : Swift.min(machine.ram, arguments.integer("MaxRAM"))
        let fraction = { (flag: String) in Int(Double(physical) * arguments.double(flag) / 100) }

        var maxHeap = arguments.integer("MaxHeapSize")
        if !arguments.isExplicit("MaxHeapSize") {
            var reasonableMax = fraction("MaxRAMPercentage")
            let reasonableMin = fraction("MinRAMPercentage")
            // Small machines take a fraction of memory; others at least the default MaxHeapSize.
            reasonableMax = reasonableMin < maxHeap ? reasonableMin : Swift.max(reasonableMax, maxHeap)
            var coopLimit = maxCoopHeap
            let base = arguments.integer("HeapBaseMinAddress")
            if base + maxHeap < coopLimit { coopLimit -= base }
            if arguments.bool("UseCompressedOops"), reasonableMax > coopLimit, !(overrideCoopLimit && !arguments.isExplicit("UseCompressedOops")) {
                reasonableMax = coopLimit
            }
            if arguments.isExplicit("InitialHeapSize") {
                reasonableMax = Swift.max(reasonableMax, arguments.integer("InitialHeapSize"))
            } else if arguments.isExplicit("MinHeapSize") {
                reasonableMax = Swift.max(reasonableMax, arguments.integer("MinHeapSize"))
            }
            maxHeap = reasonableMax
        }

        var initial = arguments.integer("InitialHeapSize")
        var minimum = arguments.integer("MinHeapSize")
        if initial == 0 || minimum == 0 {
            let reasonableMinimum = Swift.min(arguments.integer("OldSize") + arguments.integer("NewSize"), maxHeap)
            if initial == 0 {
                initial = Swift.min(Swift.max(fraction("InitialRAMPercentage"), reasonableMinimum, minimum), maxHeap)
            }
            if minimum == 0 {
                minimum = Swift.min(reasonableMinimum, initial)
            }
        }
        self.max = maxHeap
        self.initial = initial
        self.minimum = minimum
    }
}
