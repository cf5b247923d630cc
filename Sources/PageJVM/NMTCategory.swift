/// Native Memory Tracking's categories (`MEMORY_TYPES_DO` in `nmt/memflags.hpp`), with the names
/// and in the order NMT prints them; only those the models map memory for.
public enum NMTCategory: String, CaseIterable, Sendable {
    case javaHeap = "Java Heap"
    case klass = "Class"
    case thread = "Thread"
    case code = "Code"
    case gc = "GC"
    case vmInternal = "Internal"
    case sharedClassSpace = "Shared class space"
    case safepoint = "Safepoint"
    case metaspace = "Metaspace"
}
