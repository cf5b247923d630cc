import ArgumentParser
import Foundation
import Glibc
import PageCore
import PageLabLua

/// `--interval`, `--interval-file` and `--html`: what `pagelab run` reports besides the scenario's
/// own output and `--json`.
///
/// The interval stream goes to standard output, as sysbench's interval lines do, so that
/// `pagelab run X --interval 1s | jq ...` reads nothing but NDJSON: while it streams there, what
/// the scenario prints (Lua's `print`, tables, the report hook) goes to standard error, where a
/// person at the terminal still sees it. `--interval-file FILE` sends the stream to a file instead
/// and leaves standard output alone.
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Stream the statistics of every live region and of the process as NDJSON every interval (e.g. 1s, 250ms) to standard output; the scenario's own output then goes to standard error.",
        valueName: "duration"))
    var interval: String?

    @Option(name: .customLong("interval-file"), help: ArgumentHelp(
        "Write the --interval stream to this file instead of standard output.", valueName: "file"))
    var intervalFile: String?

    @Option(help: ArgumentHelp(
        "Write a self-contained HTML report (address-space map, page maps, tables, charts) to this file.",
        valueName: "file"))
    var html: String?

    func validate() throws {
        if intervalFile != nil, interval == nil { throw ValidationError("--interval-file needs --interval") }
    }

    /// Starts the interval stream and asks the session to keep page maps for the HTML report.
    func start(_ workbench: Workbench) throws {
        workbench.session.keepsPageMaps = html != nil
        guard let interval else { return }
        let nanoseconds: UInt64
        do {
            nanoseconds = try IntervalReport.interval(interval)
        } catch {
            throw ValidationError(error.message)
        }
        let stream = try intervalStream()
        workbench.streamIntervals(IntervalReport(intervalNanoseconds: nanoseconds) { line in
            stream.write(Data(line.utf8))
        })
    }

    /// Where interval lines go: the file, or the real standard output, with the process's own
    /// standard output (C's and Swift's, Lua's `print`) pointed at standard error from here on.
    private func intervalStream() throws -> FileHandle {
        if let intervalFile {
            guard FileManager.default.createFile(atPath: intervalFile, contents: nil),
                  let handle = FileHandle(forWritingAtPath: intervalFile) else {
                throw ValidationError("--interval-file: cannot write \(intervalFile)")
            }
            return handle
        }
        fflush(nil)
        let stream = dup(STDOUT_FILENO)
        guard stream >= 0, dup2(STDERR_FILENO, STDOUT_FILENO) >= 0 else {
            throw ValidationError("--interval: cannot redirect standard output (\(String(cString: strerror(errno))))")
        }
        return FileHandle(fileDescriptor: stream, closeOnDealloc: true)
    }

    /// The interval stream's last line and the HTML file, once the scenario has ended.
    func finish(_ session: Session, document: JSON, status: String) {
        fflush(nil)
        session.intervalReport?.finish(session, status: status)
        guard let html else { return }
        do {
            try HTMLReport.render(document, session: session).write(toFile: html, atomically: true, encoding: .utf8)
        } catch {
            printError("pagelab: cannot write \(html): \(error.localizedDescription)")
        }
    }
}
