import PageCore

extension JVM {
    /// A thread HotSpot starts during boot, and the kind of stack it gets.
    struct BootThread {
        enum Kind { case java, vm, compiler, gc }
        let name: String
        let kind: Kind
    }

    /// The threads a JVM has started when `java -version` finishes, per collector.
    var threadsStartedAtBoot: [BootThread] {
        var threads = [BootThread(name: "main", kind: .java)]
        switch configuration.collector {
        case .g1:
            threads += [BootThread(name: "GC Thread#0", kind: .gc), BootThread(name: "G1 Main Marker", kind: .gc),
                        BootThread(name: "G1 Conc#0", kind: .gc), BootThread(name: "G1 Refine#0", kind: .gc),
                        BootThread(name: "G1 Service", kind: .gc)]
        case .parallel:
            threads += (0..<configuration.parallelGCThreads).map { BootThread(name: "GC Thread#\($0)", kind: .gc) }
        case .serial:
            break
        case .z:
            threads += [BootThread(name: "ZDirector", kind: .gc), BootThread(name: "ZDriver", kind: .gc),
                        BootThread(name: "ZStat", kind: .gc), BootThread(name: "ZUncommitter", kind: .gc)]
        }
        threads.append(BootThread(name: "VM Thread", kind: .vm))
        threads += ["Reference Handler", "Finalizer", "Signal Dispatcher", "Service Thread", "Monitor Deflation Thread"]
            .map { BootThread(name: $0, kind: .java) }
        threads += (0..<configuration.c2Compilers).map { BootThread(name: "C2 CompilerThread\($0)", kind: .compiler) }
        threads += (0..<configuration.c1Compilers).map { BootThread(name: "C1 CompilerThread\($0)", kind: .compiler) }
        return threads
    }

    /// How much of its stack a thread has used by the end of `java -version`: a few frames.
    static let bootStackUse = 40 << 10

    /// Thread stacks as glibc maps them (read-write, the whole size) and HotSpot guards them:
    /// Java and compiler threads get the red, yellow and reserved zones mprotected PROT_NONE at the
    /// low end (`StackOverflow::create_stack_guard_pages`); the others a glibc guard page.
    func bootThreads() throws {
        let stacks = configuration.stacks
        for thread in threadsStartedAtBoot {
            let size: Int
            switch thread.kind {
            case .java: size = stacks.javaThread
            case .compiler: size = stacks.compilerThread
            case .vm, .gc: size = stacks.vmThread
            }
            let stack = try reserve("Thread stack '\(thread.name)'", .thread, size: size)
            try stack.commit(offset: 0, length: size)
            let guarded = thread.kind == .java || thread.kind == .compiler ? stacks.guardZone : pageSize
            try stack.protect(offset: 0, length: guarded, .none)
            let used = min(Self.bootStackUse, size - guarded)
            try stack.touch(offset: size - used, length: used)
        }
    }
}
