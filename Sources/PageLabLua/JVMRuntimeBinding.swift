import LuaBridge
import PageCore
import PageJVM

/// The booted JVM's run-time methods: G1's heap (`vm:allocate`, `vm:young_gc`, `vm:full_gc`,
/// `vm:regions`, `vm:region_map`, ...) and metaspace (`vm:load_classes`, `vm:unload`,
/// `vm:metaspace`, ...). Sizes are sizes ("64k"); class loaders are named, and created by their
/// first `load_classes` unless `vm:class_loader` made them with another kind.
enum JVMRuntimeBinding {
    static var methods: [LuaMethod<JVM>] {
        [
            LuaMethod(
                "allocate", parameters: ["size: integer|string", "count?: integer"], returns: "{objects: integer, bytes: integer, humongous: boolean, regions: integer[], expanded: integer, collections: pagelab.Collection[]}",
                summary: "G1: allocates `count` objects of `size` in eden (humongous ones in their own regions), collecting and expanding as G1 would."
            ) { jvm, call in
                let heap = try g1(jvm, "allocate")
                let size = try call.size(2)
                let count = call.isNoneOrNil(3) ? 1 : try call.integer(3)
                let result = try run(["size": 2, "count": 3]) { () throws(JVMRuntimeError) in try heap.allocate(size: size, count: count) }
                call.push(LuaValue(.object([
                    ("objects", .int(result.objects)), ("bytes", .int(result.bytes)), ("humongous", .bool(result.isHumongous)),
                    ("regions", .array(result.regions.map(JSON.int))), ("expanded", .int(result.expandedBytes)),
                    ("collections", .array(result.collections.map(collectionJSON))),
                ])))
                return 1
            },
            LuaMethod(
                "drop_humongous", parameters: ["region: integer"],
                summary: "G1: the humongous object starting at `region` dies; the next collection reclaims it."
            ) { jvm, call in
                let heap = try g1(jvm, "drop_humongous")
                let region = try call.integer(2)
                try run(["region": 2]) { () throws(JVMRuntimeError) in try heap.dropHumongousObject(at: region) }
                return 0
            },
            LuaMethod("young_gc", returns: "pagelab.Collection", summary: "G1: a young collection now.") { jvm, call in
                let heap = try g1(jvm, "young_gc")
                call.push(LuaValue(collectionJSON(try run([:]) { () throws(JVMRuntimeError) in try heap.youngCollection() })))
                return 1
            },
            LuaMethod(
                "full_gc", returns: "pagelab.Collection",
                summary: "G1: a full collection now, shrinking the heap as MinHeapFreeRatio/MaxHeapFreeRatio say."
            ) { jvm, call in
                let heap = try g1(jvm, "full_gc")
                call.push(LuaValue(collectionJSON(try run([:]) { () throws(JVMRuntimeError) in try heap.fullCollection() })))
                return 1
            },
            LuaMethod(
                "regions", returns: "{index: integer, state: string, type: string, used: integer, node: integer?}[]",
                summary: "G1: every heap region's state, type, bytes used and NUMA node."
            ) { jvm, call in
                let heap = try g1(jvm, "regions")
                call.push(LuaValue(.array(heap.regions.map { region in
                    .object([("index", .int(region.index)), ("state", .string(region.state.rawValue)),
                             ("type", .string(region.type.rawValue)), ("used", .int(region.used)),
                             ("node", region.preferredNode.map(JSON.int) ?? .null)])
                })))
                return 1
            },
            LuaMethod("region_map", returns: "string", summary: "G1: one character per region, 64 to a line, with a legend.") { jvm, call in
                call.push(try g1(jvm, "region_map").regionMap())
                return 1
            },
            LuaMethod(
                "region_stats", returns: "{type: string, state: string, regions: integer, used: integer, pages: pagelab.Stats}[]",
                summary: "G1: regions, bytes used and page statistics per region type and state."
            ) { jvm, call in
                let heap = try g1(jvm, "region_stats")
                let stats = try mapErrors([:]) { try heap.statisticsByType() }
                call.push(LuaValue(.array(stats.map { entry in
                    .object([("type", .string(entry.type.rawValue)), ("state", .string(entry.state.rawValue)),
                             ("regions", .int(entry.regions)), ("used", .int(entry.used)), ("pages", statsJSON(entry.pages))])
                })))
                return 1
            },
            LuaMethod(
                "uncommit", parameters: ["options?: {wait?: boolean}"], returns: "{time_ms: integer, regions: integer, bytes: integer}[]",
                summary: "G1: runs the uncommit task (to its end unless wait = false) and lists its runs."
            ) { jvm, call in
                let heap = try g1(jvm, "uncommit")
                let options = try call.options(2, allowed: ["wait"])
                let wait = try options?.boolean("wait") ?? true
                let runs = try mapErrors([:]) { wait ? try heap.completeUncommitTask() : try heap.runUncommitTask() }
                call.push(LuaValue(.array(runs.map { run in
                    .object([("time_ms", .int(run.time)), ("regions", .int(run.regions)), ("bytes", .int(run.bytes))])
                })))
                return 1
            },
            LuaMethod(
                "g1", returns: "table",
                summary: "G1: region size and counts by state, capacity, committed, used, heap page size, next uncommit, humongous objects."
            ) { jvm, call in
                let heap = try g1(jvm, "g1")
                func count(_ state: G1RegionState) -> Int { heap.regions.count { $0.state == state } }
                call.push(LuaValue(.object([
                    ("region_size", .int(heap.regionSize)), ("regions", .int(heap.maxRegions)), ("active", .int(count(.active))),
                    ("inactive", .int(count(.inactive))), ("uncommitted", .int(count(.uncommitted))),
                    ("free", .int(heap.freeRegions)), ("capacity", .int(heap.capacity)), ("committed", .int(heap.committed)),
                    ("used", .int(heap.used)), ("heap_page_size", .int(heap.heapPageSize)),
                    ("next_uncommit_ms", heap.nextUncommitRun.map(JSON.int) ?? .null),
                    ("humongous_objects", .array(heap.humongousObjects.values.sorted { $0.firstRegion < $1.firstRegion }.map { object in
                        .object([("region", .int(object.firstRegion)), ("regions", .int(object.regionCount)),
                                 ("size", .int(object.size)), ("live", .bool(object.isLive))])
                    })),
                ])))
                return 1
            },
            LuaMethod(
                "workload", parameters: ["options?: {survival?: integer, old_survival?: integer, tenuring?: integer, max_young_percent?: integer}"], returns: "{survival: number, old_survival: number, tenuring: integer, max_young_percent: integer}",
                summary: "G1: how objects survive collections (percentages), set and read back."
            ) { jvm, call in
                let heap = try g1(jvm, "workload")
                if let options = try call.options(2, allowed: ["survival", "old_survival", "tenuring", "max_young_percent"]) {
                    heap.workload = try workload(options, from: heap.workload)
                }
                let workload = heap.workload
                call.push(LuaValue(.object([
                    ("survival", .double(workload.survivalRatio)), ("old_survival", .double(workload.oldSurvivalRatio)),
                    ("tenuring", .int(workload.tenuringThreshold)), ("max_young_percent", .int(workload.maxYoungPercent)),
                ])))
                return 1
            },
            LuaMethod("gc_log", returns: "string[]", summary: "The -Xlog:gc lines of the heap and metaspace so far.") { jvm, call in
                call.push(LuaValue(.array(((jvm.g1Heap?.log ?? []) + (jvm.metaspace?.log ?? [])).map(JSON.string))))
                return 1
            },
            LuaMethod(
                "class_loader", parameters: ["name: string", "kind?: \(ClassLoaderKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: "|"))"], returns: "integer",
                summary: "Metaspace: creates a named class loader of a kind (standard by default); returns its id."
            ) { jvm, call in
                let metaspace = try metaspaceOf(jvm)
                let name = try call.string(2)
                let kindName = call.isNoneOrNil(3) ? ClassLoaderKind.standard.rawValue : try call.string(3)
                guard let kind = ClassLoaderKind(rawValue: kindName) else {
                    throw LuaArgumentError(position: 3, message: "invalid class loader kind '\(kindName)' (expected one of: \(ClassLoaderKind.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                guard metaspace.loaderID(named: name) == nil else {
                    throw LuaArgumentError(position: 2, message: "a class loader named '\(name)' exists already")
                }
                call.push(metaspace.createLoader(name: name, kind: kind))
                return 1
            },
            LuaMethod(
                "load_classes", parameters: ["loader: string", "count: integer", "nonclass: integer|string", "class?: integer|string"], returns: "{classes: integer, collections: string[]}",
                summary: "Metaspace: the loader (made on first use) loads `count` classes of these sizes of non-class and class metadata."
            ) { jvm, call in
                let metaspace = try metaspaceOf(jvm)
                let name = try call.string(2)
                let count = try call.integer(3)
                let nonClass = try call.size(4)
                let classBytes = call.isNoneOrNil(5) ? 0 : try call.size(5)
                let loader = metaspace.loaderID(named: name) ?? metaspace.createLoader(name: name)
                let load = try run(["count": 3, "nonclass": 4, "class": 5, "size": 4]) { () throws(JVMRuntimeError) in
                    try metaspace.loadClasses(loader: loader, count: count, nonClassBytes: nonClass, classBytes: classBytes)
                }
                call.push(LuaValue(.object([("classes", .int(load.classes)), ("collections", .array(load.collections.map { .string($0.logLine) }))])))
                return 1
            },
            LuaMethod(
                "unload", parameters: ["loader: string"], returns: "table",
                summary: "Metaspace: the loader dies and its classes unload; used, committed, reserved and capacity before and after."
            ) { jvm, call in
                let metaspace = try metaspaceOf(jvm)
                let name = try call.string(2)
                guard let loader = metaspace.loaderID(named: name) else {
                    throw LuaArgumentError(position: 2, message: "no class loader named '\(name)'")
                }
                let unload = try run([:]) { () throws(JVMRuntimeError) in try metaspace.unload(loader: loader) }
                call.push(LuaValue(.object([
                    ("classes", .int(unload.classes)), ("used_before", .int(unload.usedBefore)), ("used_after", .int(unload.usedAfter)),
                    ("committed_before", .int(unload.committedBefore)), ("committed_after", .int(unload.committedAfter)),
                    ("reserved_before", .int(unload.reservedBefore)), ("reserved_after", .int(unload.reservedAfter)),
                    ("nodes_unmapped", .int(unload.nodesUnmapped)),
                    ("capacity_until_gc_before", .int(unload.capacityUntilGCBefore)), ("capacity_until_gc_after", .int(unload.capacityUntilGCAfter)),
                ])))
                return 1
            },
            LuaMethod(
                "metaspace", returns: "table",
                summary: "Metaspace: reserved, committed and used of the non-class and class spaces, capacity until GC, loaders, classes."
            ) { jvm, call in
                let metaspace = try metaspaceOf(jvm)
                let stats = try mapErrors([:]) { try metaspace.statistics() }
                func space(_ figures: MetaspaceSpaceStatistics) -> JSON {
                    .object([("reserved", .int(figures.reserved)), ("committed", .int(figures.committed)), ("used", .int(figures.used)),
                             ("resident", .int(figures.resident)), ("nodes", .int(figures.nodes)), ("free_chunks", .int(figures.freeChunks))])
                }
                call.push(LuaValue(.object([
                    ("non_class", space(stats.nonClass)), ("class", stats.classSpace.map(space) ?? .null),
                    ("capacity_until_gc", .int(stats.capacityUntilGC)),
                    ("max_metaspace_size", metaspace.settings.maxMetaspaceSize.map(JSON.int) ?? .null),
                    ("commit_granule", .int(metaspace.settings.commitGranule)), ("loaders", .int(stats.loaders)), ("classes", .int(stats.classes)),
                    ("collections", .int(metaspace.collections.count)),
                ])))
                return 1
            },
            LuaMethod(
                "loaders", returns: "{name: string, kind: string, classes: integer, non_class_used: integer, class_used: integer, chunks: integer[]}[]",
                summary: "Metaspace: every class loader with its classes, bytes used and chunks."
            ) { jvm, call in
                call.push(LuaValue(.array(try metaspaceOf(jvm).loaderStatistics.map { loader in
                    .object([("name", .string(loader.name)), ("kind", .string(loader.kind.rawValue)), ("classes", .int(loader.classes)),
                             ("non_class_used", .int(loader.nonClassUsed)), ("class_used", .int(loader.classUsed)),
                             ("chunks", .array(loader.chunkSizes.map(JSON.int)))])
                })))
                return 1
            },
            LuaMethod(
                "chunks", parameters: ["space?: \"non_class\"|\"class\""], returns: "{level: integer, size: integer, free: integer, in_use: integer}[]",
                summary: "Metaspace: the chunk census per chunk level of one space."
            ) { jvm, call in
                let metaspace = try metaspaceOf(jvm)
                let space = call.isNoneOrNil(2) ? "non_class" : try call.string(2)
                guard ["non_class", "class"].contains(space) else {
                    throw LuaArgumentError(position: 2, message: "invalid space '\(space)' (expected non_class or class)")
                }
                call.push(LuaValue(.array(metaspace.census(classSpace: space == "class").map { level in
                    .object([("level", .int(level.level)), ("size", .int(level.chunkSize)), ("free", .int(level.free)), ("in_use", .int(level.inUse))])
                })))
                return 1
            },
        ]
    }

    private static func g1(_ jvm: JVM, _ method: String) throws -> G1Heap {
        guard let heap = jvm.g1Heap else {
            throw LuaRaise("vm:\(method) needs the G1 collector (this JVM uses \(jvm.configuration.collector.rawValue))")
        }
        return heap
    }

    private static func metaspaceOf(_ jvm: JVM) throws -> Metaspace {
        guard let metaspace = jvm.metaspace else { throw LuaRaise("this JVM has no metaspace") }
        return metaspace
    }

    /// Runs a model operation: a bad value becomes `bad argument #n` by its parameter's position,
    /// an OutOfMemoryError and every other failure an ordinary Lua error with the JVM's words.
    @discardableResult
    private static func run<T>(_ positions: [String: Int32], _ body: () throws(JVMRuntimeError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            switch error {
            case .invalidArgument(let parameter, let message):
                if let position = positions[parameter] { throw LuaArgumentError(position: position, message: message) }
                throw LuaRaise(message)
            case .outOfMemory(_, let message): throw LuaRaise(message)
            case .page(let pageError): throw LuaRaise(pageError.message)
            }
        }
    }

    private static func workload(_ options: LuaOptions, from current: G1Workload) throws -> G1Workload {
        var workload = current
        func ratio(_ key: String) throws -> Double? {
            guard let percent = try options.integer(key) else { return nil }
            guard (0...100).contains(percent) else { throw LuaRaise("option '\(key)': \(percent) is not a percentage (0...100)") }
            return Double(percent) / 100
        }
        workload.survivalRatio = try ratio("survival") ?? workload.survivalRatio
        workload.oldSurvivalRatio = try ratio("old_survival") ?? workload.oldSurvivalRatio
        if let tenuring = try options.integer("tenuring") {
            guard (0...15).contains(tenuring) else { throw LuaRaise("option 'tenuring': \(tenuring) is outside 0...15 (MaxTenuringThreshold)") }
            workload.tenuringThreshold = tenuring
        }
        if let percent = try options.integer("max_young_percent") {
            guard (1...100).contains(percent) else { throw LuaRaise("option 'max_young_percent': \(percent) is outside 1...100") }
            workload.maxYoungPercent = percent
        }
        return workload
    }

    private static func collectionJSON(_ collection: G1Collection) -> JSON {
        .object([("id", .int(collection.id)), ("kind", .string(collection.kind.rawValue)), ("cause", .string(collection.cause)),
                 ("used_before", .int(collection.usedBefore)), ("used_after", .int(collection.usedAfter)),
                 ("capacity", .int(collection.capacityAfter)), ("evacuation_failed", .bool(collection.evacuationFailed)),
                 ("reclaimed_humongous", .int(collection.reclaimedHumongous)), ("log", .string(collection.logLine))])
    }

    private static func statsJSON(_ stats: PageStats) -> JSON {
        .object(Presentation.statsFields.map { ($0.name, .int(stats[keyPath: $0.value])) })
    }
}
