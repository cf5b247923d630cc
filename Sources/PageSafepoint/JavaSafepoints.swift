import Foundation
import PageCore

/// The real JVM for comparison: a small program whose main thread forces a safepoint
/// (`Thread.getAllStackTraces()`, the "ThreadDump" VM operation) every interval while `threads`
/// mutators spin in compiled loops, run with `-Xlog:safepoint`; its log read back.
public enum JavaSafepoints {
    public struct Options: Sendable {
        /// The `java` launcher: a path, or a name looked up on PATH. `javac` must sit beside it.
        public var java = "java"
        public var threads = 2
        public var safepoints = 200
        public var intervalNanoseconds: UInt64 = 5_000_000
        /// Time for C2 to compile the mutators' loops before the first forced safepoint.
        public var warmUpNanoseconds: UInt64 = 2_000_000_000

        public init() {}
    }

    public struct Run: Sendable {
        /// `java.runtime.version` of the JVM that ran.
        public let version: String
        public let command: [String]
        /// The forced safepoints' log entries, in order.
        public let entries: [SafepointLogEntry]
        /// Their "Reaching safepoint" and "Total" fields.
        public let reaching: Percentiles
        public let total: Percentiles
        /// Every `-Xlog:safepoint` line the JVM printed, warm-up included.
        public let lines: [String]
    }

    static let operation = "ThreadDump"
    static let className = "PageLabSafepoints"

    public static func run(_ options: Options) throws(PageError) -> Run {
        guard (1...256).contains(options.threads) else { throw invalid("threads", "threads \(options.threads) must be between 1 and 256") }
        guard (1...1_000_000).contains(options.safepoints) else {
            throw invalid("safepoints", "safepoints \(options.safepoints) must be between 1 and 1000000")
        }
        let (java, javac) = try launchers(options.java)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pagelab-java-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try program.write(to: folder.appendingPathComponent("\(className).java"), atomically: true, encoding: .utf8)
        } catch {
            throw PageError(.system(errno: EIO), "cannot write the Java program in \(folder.path): \(error.localizedDescription)")
        }
        _ = try execute(javac, ["-d", folder.path, folder.appendingPathComponent("\(className).java").path])
        let arguments = ["-Xlog:safepoint", "-cp", folder.path, className, String(options.threads), String(options.safepoints),
                         String(options.intervalNanoseconds), String(options.warmUpNanoseconds / 1_000_000)]
        let output = try execute(java, arguments)
        let lines = output.split(separator: "\n").map(String.init)
        let version = lines.first { $0.hasPrefix("pagelab: version ") }.map { String($0.dropFirst("pagelab: version ".count)) } ?? "?"
        let logged = lines.filter { SafepointLog.parse($0) != nil }
        let entries = logged.compactMap(SafepointLog.parse).filter { $0.operation == operation }
        var reaching = LatencyHistogram(), total = LatencyHistogram()
        for entry in entries {
            reaching.record(entry.reaching)
            total.record(entry.total)
        }
        return Run(version: version, command: [java] + arguments, entries: entries, reaching: reaching.percentiles,
                   total: total.percentiles, lines: logged)
    }

    /// The launcher and the compiler beside it, symbolic links resolved (/usr/bin/java is one).
    public static func launchers(_ java: String) throws(PageError) -> (java: String, javac: String) {
        let found = java.contains("/") ? java : (ProcessInfo.processInfo.environment["PATH"] ?? "")
            .split(separator: ":").map { "\($0)/\(java)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let found, FileManager.default.isExecutableFile(atPath: found) else {
            throw invalid("java", "no Java launcher '\(java)' (give a path, or put one on PATH)")
        }
        let resolved = URL(fileURLWithPath: found).resolvingSymlinksInPath()
        let javac = resolved.deletingLastPathComponent().appendingPathComponent("javac").path
        guard FileManager.default.isExecutableFile(atPath: javac) else {
            throw invalid("java", "no javac beside \(resolved.path): a JDK, not a JRE, is needed to compile the program")
        }
        return (resolved.path, javac)
    }

    /// Runs a program to its end and returns its standard output; its standard error becomes the
    /// error message when it fails.
    static func execute(_ path: String, _ arguments: [String]) throws(PageError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw PageError(.system(errno: ENOEXEC), "cannot run \(path): \(error.localizedDescription)")
        }
        // Read both pipes to the end before waiting, so that neither fills up and blocks the child.
        let errorText = LockedText()
        let reader = Thread { errorText.set(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)) }
        reader.start()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let diagnostics = errorText.wait()
        if Interrupt.isPending { throw PageError(.interrupted, "interrupted!") }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let message = diagnostics.split(separator: "\n").prefix(5).joined(separator: "\n")
            throw PageError(.system(errno: ECHILD), "\(URL(fileURLWithPath: path).lastPathComponent) failed (status \(process.terminationStatus)): \(message)")
        }
        return text
    }

    static let program = """
        import java.util.concurrent.locks.LockSupport;

        // Written and run by PageLab (pagelab.safepoint java): mutators spin in compiled loops with a
        // safepoint poll at the back edge; the main thread forces a ThreadDump safepoint every interval.
        public class \(className) {
            static volatile long sink;

            public static void main(String[] args) throws Exception {
                int threads = Integer.parseInt(args[0]);
                int safepoints = Integer.parseInt(args[1]);
                long intervalNanos = Long.parseLong(args[2]);
                long warmUpMillis = Long.parseLong(args[3]);
                System.out.println("pagelab: version " + System.getProperty("java.runtime.version"));
                for (int t = 0; t < threads; t++) {
                    Thread mutator = new Thread(\(className)::spin, "mutator-" + t);
                    mutator.setDaemon(true);
                    mutator.start();
                }
                Thread.sleep(warmUpMillis);
                for (int i = 0; i < safepoints; i++) {
                    Thread.getAllStackTraces();
                    LockSupport.parkNanos(intervalNanos);
                }
            }

            static void spin() {
                long x = Thread.currentThread().getId();
                while (true) {
                    for (int i = 0; i < 64; i++) {
                        x = x * 6364136223846793005L + 1442695040888963407L;
                    }
                    sink = x;
                }
            }
        }
        """
}

/// Text handed from a reader thread to the thread that waits for it.
private final class LockedText: @unchecked Sendable {
    private let condition = NSCondition()
    private var text: String?

    func set(_ value: String) {
        condition.lock()
        text = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> String {
        condition.lock()
        defer { condition.unlock() }
        while text == nil { condition.wait() }
        return text!
    }
}
