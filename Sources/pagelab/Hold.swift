import Glibc
import PageLabLua
import Synchronization

/// Set by the SIGTERM handler while holding.
private let terminationRequested = Atomic<Bool>(false)

/// `--hold`: keeps the process and all its memory alive, so that `pmap -X PID` or `numastat -p`
/// can be held against PageLab's numbers, until standard input closes or SIGTERM arrives.
enum Hold {
    static func wait(regions: Int) {
        printError("pagelab: holding PID \(getpid()) with \(regions) region\(regions == 1 ? "" : "s") mapped; close standard input (Ctrl-D) or send SIGTERM to release")
        signal(SIGTERM) { _ in terminationRequested.store(true, ordering: .relaxed) }
        defer { signal(SIGTERM, SIG_DFL) }
        var input = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !Interruption.pending && !terminationRequested.load(ordering: .relaxed) {
            let ready = poll(&input, 1, 100)
            if ready < 0 && errno != EINTR { return }
            if ready > 0 && read(STDIN_FILENO, &buffer, buffer.count) <= 0 { return }
        }
    }
}
