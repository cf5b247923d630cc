import LuaBridge
import PageCore

/// The shape of a table that functions and methods return or take, as `pagelab meta` declares it
/// (`---@class pagelab.Stats` with its `---@field`s).
struct TableShape {
    let name: String
    let summary: String
    let fields: [LuaField]
}

/// The tables named in signatures (`returns: "pagelab.Stats"`). A signature naming a class that is
/// not here fails the meta test, so a new result type cannot go undocumented.
enum ResultShapes {
    static var all: [TableShape] {
        [
            TableShape(name: "pagelab.Op", summary: "What a memory operation cost; `tostring` shows it for people.", fields: [
                LuaField("ns", "integer", "Wall time in nanoseconds."),
                LuaField("minflt", "integer", "Minor page faults it took."),
                LuaField("majflt", "integer", "Major page faults it took."),
                LuaField("source", "\"measured\"|\"simulated\"", "Measured on the host or computed by the model."),
                LuaField("moved", "integer?", "migrate: pages moved."),
            ]),
            TableShape(
                name: "pagelab.Stats", summary: "Page statistics of a range in bytes; `tostring` shows them in human units.",
                fields: Presentation.statsFields.map { LuaField($0.name, "integer") } + [
                    LuaField("nodes", "table<integer, integer>", "Resident bytes per NUMA node."),
                    LuaField("source", "\"measured\"|\"simulated\""),
                    LuaField("page_tables", "{p4d: integer, pud: integer, pmd: integer, pte: integer, bytes: integer}?", "Page-table pages the range needs (model)."),
                ]),
            TableShape(name: "pagelab.Smaps", summary: "A region's /proc/self/smaps figures, summed over its VMAs.", fields: [
                LuaField("vmas", "integer"), LuaField("rss", "integer"), LuaField("pss", "integer"),
                LuaField("anon_huge_pages", "integer"), LuaField("private_hugetlb", "integer"), LuaField("swap", "integer"),
                LuaField("locked", "integer"), LuaField("thp_eligible", "integer"), LuaField("kernel_page_size", "integer"),
                LuaField("vm_flags", "string[]"),
            ]),
            TableShape(name: "pagelab.Process", summary: "Figures of the whole process (/proc/self/status), in bytes and faults.", fields: [
                LuaField("rss", "integer"), LuaField("vm_size", "integer"), LuaField("vm_pte", "integer"),
                LuaField("vm_swap", "integer"), LuaField("hugetlb", "integer"), LuaField("minflt", "integer"),
                LuaField("majflt", "integer"), LuaField("source", "\"measured\"|\"simulated\""),
            ]),
            TableShape(name: "pagelab.Snapshot", summary: "Statistics kept under a name by pl.snapshot.", fields: [
                LuaField("name", "string"),
                LuaField("regions", "table<string, pagelab.Stats>", "By region name."),
                LuaField("process", "pagelab.Process"),
            ]),
            TableShape(name: "pagelab.Diff", summary: "Signed deltas between two snapshots; `tostring` prints them as NMT does.", fields: [
                LuaField("regions", "table<string, pagelab.Stats>", "Per region name: the byte fields' deltas."),
                LuaField("process", "{rss: integer, vm_pte: integer, minflt: integer, majflt: integer}"),
            ]),
            TableShape(name: "pagelab.Host", summary: "The machine as HotSpot would detect it.", fields: [
                LuaField("kernel", "string"), LuaField("simulated", "boolean?"), LuaField("page_size", "integer"),
                LuaField("huge_page_sizes", "integer[]"), LuaField("default_huge_page_size", "integer"),
                LuaField("thp_mode", "string"), LuaField("thp_page_size", "integer"),
                LuaField("hugetlb_pools", "table<string, {total: integer, free: integer}>", "By page size in bytes."),
                LuaField("numa_nodes", "integer[]"), LuaField("cpus", "integer"), LuaField("mem_total", "integer"),
                LuaField("mem_available", "integer"), LuaField("page_table_levels", "integer?"),
            ]),
            TableShape(name: "pagelab.Topology", summary: "NUMA nodes and their distances.", fields: [
                LuaField("nodes", "{id: integer, memory: integer, cpus: integer[]}[]"),
                LuaField("distance", "integer[][]", "The SLIT matrix, by node position."),
                LuaField("source", "\"measured\"|\"simulated\""),
            ]),
            TableShape(name: "pagelab.TLBStats", summary: "A simulated TLB run; `tostring` shows its summary.", fields: [
                LuaField("pattern", "string"), LuaField("accesses", "integer"), LuaField("l1_hits", "integer"),
                LuaField("l1_misses", "integer"), LuaField("stlb_hits", "integer"), LuaField("walks", "integer"),
                LuaField("misses", "integer"), LuaField("walk_refs", "integer"), LuaField("refs_per_walk", "number"),
                LuaField("l1_miss_rate", "number"), LuaField("miss_rate", "number"),
                LuaField("walk_cache_hits", "table<string, integer>"), LuaField("by_page", "table<string, table>"),
                LuaField("footprint", "integer"), LuaField("footprint_by_page", "table<string, integer>"),
                LuaField("reach", "table"), LuaField("levels", "integer"), LuaField("ns", "integer"),
                LuaField("rate", "number", "Accesses per second."), LuaField("summary", "string"),
            ]),
            TableShape(name: "pagelab.Walk", summary: "An address split into page-table indexes, and for a page walk what pagemap says of the leaf.", fields: [
                LuaField("address", "integer"), LuaField("levels", "integer"), LuaField("indexes", "integer[]"),
                LuaField("pgd", "integer"), LuaField("p4d", "integer?"), LuaField("pud", "integer"), LuaField("pmd", "integer"),
                LuaField("pte", "integer"), LuaField("offset", "integer"), LuaField("present", "boolean?"),
                LuaField("swapped", "boolean?"), LuaField("leaf", "string?"), LuaField("page_size", "string?"),
                LuaField("pfn", "integer?"), LuaField("physical", "integer?"), LuaField("flags", "string[]?"),
                LuaField("summary", "string"),
            ]),
            TableShape(name: "pagelab.Collection", summary: "A G1 collection of the model.", fields: [
                LuaField("id", "integer"), LuaField("kind", "string"), LuaField("cause", "string"),
                LuaField("used_before", "integer"), LuaField("used_after", "integer"), LuaField("capacity", "integer"),
                LuaField("evacuation_failed", "boolean"), LuaField("reclaimed_humongous", "integer"),
                LuaField("log", "string", "The -Xlog:gc line."),
            ]),
            TableShape(name: "pagelab.Percentiles", summary: "A latency distribution in nanoseconds.", fields: [
                LuaField("count", "integer"), LuaField("p50", "integer"), LuaField("p90", "integer"), LuaField("p99", "integer"),
                LuaField("p999", "integer"), LuaField("max", "integer"), LuaField("mean", "number"),
            ]),
            TableShape(name: "pagelab.Storm", summary: "A safepoint storm's result; `tostring` shows it as a table.", fields: [
                LuaField("mechanism", "string"), LuaField("work", "string"), LuaField("threads", "integer"),
                LuaField("natives", "integer"), LuaField("ordering", "string"), LuaField("wait", "string"),
                LuaField("straggler", "integer"), LuaField("rate", "number"), LuaField("operation_ns", "integer"),
                LuaField("duration_ns", "integer"), LuaField("safepoints", "integer"),
                LuaField("ttsp", "pagelab.Percentiles", "Time to safepoint."), LuaField("thread_ttsp", "pagelab.Percentiles"),
                LuaField("reaching", "pagelab.Percentiles"), LuaField("at_safepoint", "pagelab.Percentiles"),
                LuaField("total", "pagelab.Percentiles"), LuaField("ordering_ns", "pagelab.Percentiles"),
                LuaField("throughput", "{with: number, without: number?}"), LuaField("throughput_loss", "number?"),
                LuaField("traps", "integer"), LuaField("serialize_traps", "integer"), LuaField("transitions", "integer"),
                LuaField("spurious_polls", "integer"), LuaField("violations", "integer"), LuaField("per_thread", "table[]"),
                LuaField("histogram", "{up_to: integer, count: integer}[]"), LuaField("pages", "table"), LuaField("log", "string[]?"),
            ]),
            TableShape(name: "pagelab.JavaSafepoints", summary: "Safepoints of a real JVM, from its -Xlog:safepoint lines.", fields: [
                LuaField("version", "string"), LuaField("command", "string"), LuaField("safepoints", "integer"),
                LuaField("reaching", "pagelab.Percentiles"), LuaField("total", "pagelab.Percentiles"), LuaField("lines", "string[]"),
            ]),
            TableShape(name: "pagelab.SafepointLogLine", summary: "One -Xlog:safepoint line read into its fields (ns).", fields: [
                LuaField("uptime_ns", "integer"), LuaField("operation", "string"), LuaField("since_last", "integer"),
                LuaField("reaching", "integer"), LuaField("at_safepoint", "integer"), LuaField("total", "integer"),
                LuaField("format", "string"), LuaField("cleanup", "integer?"), LuaField("leaving", "integer?"),
            ]),
            TableShape(name: "pagelab.Scenario", summary: "What a scenario file returns; `pagelab info` reads it without calling `run`.", fields: [
                LuaField("description", "string?", "One line for `pagelab list`."),
                LuaField("params", "pagelab.Param[]?", "Parameters `--set name=value` may override."),
                LuaField("backends", "(\(Backend.names.map { "\"\($0)\"" }.joined(separator: "|")))[]?", "Where it can run; both when left out."),
                LuaField("run", "fun(params: table<string, any>)", "The scenario, called with the effective parameters."),
            ]),
            TableShape(name: "pagelab.Param", summary: "A declared scenario parameter.", fields: [
                LuaField("name", "string"),
                LuaField("type", ScenarioParameter.Kind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: "|")),
                LuaField("default", "any"), LuaField("help", "string?"),
                LuaField("choices", "string[]?", "For a string parameter that takes one of these."),
            ]),
        ]
    }
}
