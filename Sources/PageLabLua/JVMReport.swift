import PageCore
import PageJVM

/// A booted JVM as JSON (`pagelab jvm --format json`, `vm:report()`): the JDK, the effective
/// flags, the heap and its oop encoding (and ZGC's heap memory file), NMT's mmap figures per
/// category (with resident), every area, the `-Xlog` lines and the warnings. Sizes in bytes, addresses as integers.
public enum JVMReport {
    public static func json(_ jvm: JVM) throws(PageError) -> JSON {
        let configuration = jvm.configuration
        let summary = try NMTSummary(jvm)
        let heap = jvm.heap!
        let heapCommitted = summary[.javaHeap]?.committed ?? 0
        var areas: [JSON] = []
        for area in jvm.areas {
            let stats = try area.stats()
            areas.append(.object([
                ("name", .string(area.name)), ("category", .string(area.category.rawValue)),
                ("base", .int(Int(area.base))), ("size", .int(area.length)), ("committed", .int(stats.committed)),
                ("resident", .int(stats.resident)), ("huge", .int(stats.huge)), ("page_size", .int(area.pageSize)),
            ]))
        }
        var fields: [(String, JSON)] = [
            ("jdk", .int(configuration.jdk.rawValue)),
            ("backend", .string(jvm.space.kind.name)),
            ("options", .array(configuration.arguments.options.map { .string($0) })),
            ("machine", .object([("ram", .int(configuration.machine.ram)), ("cpus", .int(configuration.machine.cpus))])),
            ("collector", .string(configuration.collector.rawValue)),
            ("flags", JVMModule.flagsJSON(configuration)),
            ("heap", .object([
                ("base", .int(Int(heap.base))), ("reserved", .int(summary[.javaHeap]?.reserved ?? 0)), ("committed", .int(heapCommitted)),
                ("region_size", .int(configuration.regionSize)), ("coops_mode", .string(heap.mode.rawValue)),
                ("coops_shift", .int(heap.shift)), ("narrow_base", .int(Int(heap.narrowBase))),
                ("no_access_prefix", .int(heap.noAccessPrefix)),
            ])),
            ("nmt", .object(summary.entries.map { entry in
                (entry.category.rawValue, .object([("reserved", .int(entry.reserved)), ("committed", .int(entry.committed)),
                                                   ("resident", .int(entry.resident ?? 0))]))
            })),
            ("areas", .array(areas)),
            ("log", .array(jvm.log.map { .string($0) })),
            ("warnings", .array(configuration.warnings.map { .string($0) })),
        ]
        if let memory = jvm.heapMemory, !memory.isClosed {
            // ZGC's memfd: committed once whatever the number of views.
            fields.insert(("heap_memory", .object([
                ("name", .string(memory.name)), ("size", .int(memory.size)), ("committed", .int(memory.committedBytes)),
                ("allocated", .int(try memory.allocatedBytes())),
            ])), at: 7)
        }
        return .object(fields)
    }
}
