/// A class loader's metaspace (`ClassLoaderMetaspace`): one arena in non-class metaspace and,
/// with a class space, one there.
final class ClassLoaderMetaspace {
    let id: Int
    let name: String
    let kind: ClassLoaderKind
    let nonClass: MetaspaceArena
    let classArena: MetaspaceArena?
    var classes = 0

    init(id: Int, name: String, kind: ClassLoaderKind, nonClass: MetaspaceArena, classArena: MetaspaceArena?) {
        self.id = id
        self.name = name
        self.kind = kind
        self.nonClass = nonClass
        self.classArena = classArena
    }

    var statistics: ClassLoaderStatistics {
        ClassLoaderStatistics(id: id, name: name, kind: kind, classes: classes, nonClassUsed: nonClass.used,
                              classUsed: classArena?.used ?? 0,
                              chunkSizes: nonClass.chunks.map(\.size) + (classArena?.chunks.map(\.size) ?? []))
    }
}
