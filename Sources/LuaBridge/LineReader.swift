import CEdit

#if canImport(Glibc)
import Glibc
#endif

/// Where the REPL gets its lines.
public protocol LineReader {
    /// The next line without its newline, or nil at end of input (or when a signal interrupted
    /// the read: the caller tells the two apart).
    mutating func readLine(prompt: String) -> String?
    mutating func addHistory(_ line: String)
}

/// Line editing and history through libedit's readline emulation (BSD licensed; GNU readline is
/// GPL). History persists in `historyFile` when given.
public struct EditLineReader: LineReader {
    private let historyFile: String?

    public init(historyFile: String?) {
        self.historyFile = historyFile
        using_history()
        if let historyFile { _ = read_history(historyFile) }
    }

    public mutating func readLine(prompt: String) -> String? {
        guard let line = readline(prompt) else { return nil }
        defer { free(line) }
        return String(cString: line)
    }

    public mutating func addHistory(_ line: String) {
        guard !line.isEmpty else { return }
        _ = add_history(line)
        if let historyFile { _ = write_history(historyFile) }
    }
}

/// Plain standard input, for terminals libedit cannot drive and for tests.
public struct PlainLineReader: LineReader {
    public init() {}

    public mutating func readLine(prompt: String) -> String? {
        print(prompt, terminator: "")
        fflush(nil)
        return Swift.readLine(strippingNewline: true)
    }

    public mutating func addHistory(_ line: String) {}
}
