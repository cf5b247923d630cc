import PageJVM
import PageLabLua

/// The deltas between two `pagelab jvm --format json` results in the layout and category order of
/// NMT's `jcmd VM.native_memory summary.diff` (mmap part), with PageLab's resident line.
struct NMTDiff {
    struct CategoryChange {
        let category: String
        let reserved: Change
        let committed: Change
        let resident: Change
    }

    let categories: [CategoryChange]
    let reserved: Change
    let committed: Change

    init(from a: [String: Any], to b: [String: Any]) {
        let old = a["nmt"] as? [String: Any] ?? [:], new = b["nmt"] as? [String: Any] ?? [:]
        // NMT's order; a category PageJVM does not know (a newer writer) goes last, by name.
        let known = NMTCategory.allCases.map(\.rawValue)
        let names = known.filter { old[$0] != nil || new[$0] != nil }
            + Set(old.keys).union(new.keys).subtracting(known).sorted()
        categories = names.map { name in
            let before = old[name] as? [String: Any] ?? [:], after = new[name] as? [String: Any] ?? [:]
            func change(_ field: String) -> Change { Change(from: before.integer(field), to: after.integer(field)) }
            return CategoryChange(category: name, reserved: change("reserved"), committed: change("committed"), resident: change("resident"))
        }
        reserved = Change(from: categories.reduce(0) { $0 + $1.reserved.from }, to: categories.reduce(0) { $0 + $1.reserved.to })
        committed = Change(from: categories.reduce(0) { $0 + $1.committed.from }, to: categories.reduce(0) { $0 + $1.committed.to })
    }

    /// As NMT: a category is shown while it has memory now or its reservation changed.
    var text: String {
        func pair(_ reserved: Change, _ committed: Change) -> String {
            "reserved=\(reserved.kilobytes), committed=\(committed.kilobytes)"
        }
        var lines = ["Native Memory Tracking (mmap part; PageLab adds resident):", "", "Total: " + pair(reserved, committed), ""]
        let pad = String(repeating: " ", count: 28)
        for entry in categories where entry.reserved.to / 1024 > 0 || entry.reserved.to / 1024 != entry.reserved.from / 1024 {
            lines.append("-" + String(repeating: " ", count: max(0, 26 - entry.category.count)) + entry.category
                + " (" + pair(entry.reserved, entry.committed) + ")")
            let kind = entry.category == NMTCategory.thread.rawValue ? "stack" : "mmap"
            lines.append("\(pad)(\(kind): " + pair(entry.reserved, entry.committed) + ")")
            lines.append("\(pad)(resident=\(entry.resident.kilobytes))")
            lines.append(" ")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var json: JSON {
        .object([
            ("total", .object([("reserved", reserved.json), ("committed", committed.json)])),
            ("categories", .array(categories.map { entry in
                .object([("category", .string(entry.category)), ("reserved", entry.reserved.json),
                         ("committed", entry.committed.json), ("resident", entry.resident.json)])
            })),
        ])
    }
}
