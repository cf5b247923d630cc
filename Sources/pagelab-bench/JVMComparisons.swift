import Foundation

/// `pagelab jvm` beside the real `java -version` with the same flags, as whole processes timed
/// from spawn to exit: laying out an 8 GiB G1 JVM should take a tenth of the time the JVM needs to
/// start, and pretouching 2 GiB no longer than the JVM takes to do the same.
func jvmComparisons() -> [Comparison] {
    let bench = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let pagelab = bench.deletingLastPathComponent().appendingPathComponent("pagelab").path
    guard let java = executable(named: "java"), FileManager.default.isExecutableFile(atPath: pagelab) else {
        print("(jvm comparisons skipped: needs java on the PATH and pagelab beside pagelab-bench)")
        return []
    }
    let sets: [(name: String, flags: [String], target: Double)] = [
        ("(d) pagelab jvm -Xmx8g vs java -Xmx8g -version", ["-Xmx8g"], 0.1),
        ("(d) ... -Xms2g -Xmx2g -XX:+AlwaysPreTouch", ["-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"], 1.0),
    ]
    return sets.map { set in
        Comparison(name: set.name, target: set.target,
                   pagelab: { try timeProcess(pagelab, ["jvm", "--"] + set.flags) },
                   baseline: { try timeProcess(java, set.flags + ["-version"]) })
    }
}

/// Wall-clock nanoseconds from spawning the program to reaping it (posix_spawn and waitpid:
/// Foundation's Process adds tens of milliseconds of its own); its output goes to /dev/null.
func timeProcess(_ path: String, _ arguments: [String]) throws -> Int {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let elapsed = Int(DispatchTime.now().uptimeNanoseconds - start)
    guard status == 0 else {
        throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(path) \(arguments) exited with status \(status)"])
    }
    return elapsed
}

func executable(named name: String) -> String? {
    let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}
