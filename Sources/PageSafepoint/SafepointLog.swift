import Foundation

/// `-Xlog:safepoint` lines (runtime/safepoint.cpp `SafepointTracing::end`, hotspot.md §5.2), with
/// the default decorations `[uptime][level][tags]`, written in the format of a JDK and read back in
/// any of them.
public enum SafepointLogFormat: String, CaseIterable, Sendable {
    /// 17 GA to 17.0.7: no Cleanup field; "Reaching safepoint" runs up to the end of cleanup.
    case jdk17
    /// 21, and 17.0.8 on (JDK-8297154): Reaching up to synchronized, then Cleanup.
    case jdk21
    /// 23 on (cleanup removed, JDK-8329488) with JDK-8350313's Leaving and Threads fields, as 25 prints.
    case jdk25
}

/// One safepoint as the log reports it; durations in ns.
public struct SafepointLogEntry: Sendable, Equatable {
    public var uptimeNanoseconds: UInt64
    public var operation: String
    public var sinceLast: UInt64
    public var reaching: UInt64
    /// jdk21 only.
    public var cleanup: UInt64?
    public var atSafepoint: UInt64
    /// jdk25 only.
    public var leaving: UInt64?
    public var total: UInt64
    /// jdk25 only: threads running when the safepoint began, and all threads.
    public var runnable: Int?
    public var threads: Int?

    public init(uptimeNanoseconds: UInt64, operation: String, sinceLast: UInt64, reaching: UInt64, cleanup: UInt64?,
                atSafepoint: UInt64, leaving: UInt64?, total: UInt64, runnable: Int?, threads: Int?) {
        self.uptimeNanoseconds = uptimeNanoseconds
        self.operation = operation
        self.sinceLast = sinceLast
        self.reaching = reaching
        self.cleanup = cleanup
        self.atSafepoint = atSafepoint
        self.leaving = leaving
        self.total = total
        self.runnable = runnable
        self.threads = threads
    }

    /// The format that has exactly this entry's fields.
    public var format: SafepointLogFormat {
        leaving != nil ? .jdk25 : cleanup != nil ? .jdk21 : .jdk17
    }
}

/// The moments of one safepoint (CLOCK_MONOTONIC ns), from which every format derives its fields.
struct SafepointTimes {
    var begin: UInt64
    var synchronized: UInt64
    var cleanupEnd: UInt64
    /// End of the VM operation: SafepointTracing::leave.
    var leave: UInt64
    var end: UInt64
    /// The end of the previous safepoint (or of the engine's start).
    var previousEnd: UInt64
    var runnable: Int
    var threads: Int

    func entry(_ format: SafepointLogFormat, operation: String, uptime: UInt64) -> SafepointLogEntry {
        let sinceLast = begin - min(previousEnd, begin)
        switch format {
        case .jdk17:
            return SafepointLogEntry(
                uptimeNanoseconds: uptime, operation: operation, sinceLast: sinceLast, reaching: cleanupEnd - begin,
                cleanup: nil, atSafepoint: end - cleanupEnd, leaving: nil, total: end - begin, runnable: nil, threads: nil)
        case .jdk21:
            return SafepointLogEntry(
                uptimeNanoseconds: uptime, operation: operation, sinceLast: sinceLast, reaching: synchronized - begin,
                cleanup: cleanupEnd - synchronized, atSafepoint: end - cleanupEnd, leaving: nil, total: end - begin,
                runnable: nil, threads: nil)
        case .jdk25:
            return SafepointLogEntry(
                uptimeNanoseconds: uptime, operation: operation, sinceLast: sinceLast, reaching: synchronized - begin,
                cleanup: nil, atSafepoint: leave - synchronized, leaving: end - leave, total: end - begin,
                runnable: runnable, threads: threads)
        }
    }
}

public enum SafepointLog {
    /// The line `-Xlog:safepoint` prints for `entry`, decorations included.
    public static func line(_ entry: SafepointLogEntry) -> String {
        var text = "[\(uptime(entry.uptimeNanoseconds))][info][safepoint] Safepoint \"\(entry.operation)\", "
            + "Time since last: \(entry.sinceLast) ns, Reaching safepoint: \(entry.reaching) ns, "
        if let cleanup = entry.cleanup { text += "Cleanup: \(cleanup) ns, " }
        text += "At safepoint: \(entry.atSafepoint) ns, "
        if let leaving = entry.leaving { text += "Leaving safepoint: \(leaving) ns, " }
        text += "Total: \(entry.total) ns"
        if let runnable = entry.runnable, let threads = entry.threads {
            text += ", Threads: \(runnable) runnable, \(threads) total"
        }
        return text
    }

    /// Reads a line in any of the three formats, with or without decorations; nil for other lines.
    public static func parse(_ line: String) -> SafepointLogEntry? {
        guard let start = line.range(of: "Safepoint \"") else { return nil }
        let decorations = line[..<start.lowerBound]
        let rest = line[start.upperBound...]
        guard let quote = rest.firstIndex(of: "\"") else { return nil }
        let operation = String(rest[..<quote])
        var fields: [String: UInt64] = [:]
        var runnable: Int?, threads: Int?
        for part in rest[rest.index(after: quote)...].split(separator: ",") {
            let item = part.trimmingCharacters(in: .whitespaces)
            if item.hasPrefix("Threads: ") {
                let words = item.split(separator: " ")
                runnable = words.count > 1 ? Int(words[1]) : nil
            } else if item.hasSuffix(" total"), runnable != nil {
                threads = Int(item.split(separator: " ")[0])
            } else if let colon = item.firstIndex(of: ":"), item.hasSuffix(" ns") {
                let number = item[item.index(after: colon)...].dropLast(3).trimmingCharacters(in: .whitespaces)
                guard let value = UInt64(number) else { return nil }
                fields[String(item[..<colon])] = value
            }
        }
        guard let sinceLast = fields["Time since last"], let reaching = fields["Reaching safepoint"],
              let atSafepoint = fields["At safepoint"], let total = fields["Total"] else { return nil }
        return SafepointLogEntry(
            uptimeNanoseconds: uptimeNanoseconds(in: decorations) ?? 0, operation: operation, sinceLast: sinceLast,
            reaching: reaching, cleanup: fields["Cleanup"], atSafepoint: atSafepoint, leaving: fields["Leaving safepoint"],
            total: total, runnable: runnable, threads: threads)
    }

    /// "1.234s", the default `uptime` decoration (milliseconds precision).
    static func uptime(_ nanoseconds: UInt64) -> String {
        let milliseconds = nanoseconds / 1_000_000
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)s"
    }

    /// The uptime of a `[1.234s]` decoration, if the line has one.
    private static func uptimeNanoseconds(in decorations: Substring) -> UInt64? {
        guard decorations.hasPrefix("["), let close = decorations.firstIndex(of: "]") else { return nil }
        let text = decorations[decorations.index(after: decorations.startIndex)..<close]
        guard text.hasSuffix("s"), let seconds = Double(text.dropLast()) else { return nil }
        return UInt64((seconds * 1e9).rounded())
    }
}
