import LuaBridge
import PageCore
import PageSafepoint

/// The `pagelab.safepoint` module (`local sp = require "pagelab.safepoint"`): storms on the native
/// safepoint engine, the transition primitives, and the real JVM's log for comparison.
enum SafepointModule {
    static let stormOptions = [
        "mechanism", "threads", "work", "interval", "straggler", "natives", "ordering", "java_units", "native_units",
        "buffer", "timeout", "nice", "wait", "rate", "duration", "safepoints", "operation", "name", "throughput", "log",
    ]
    static let javaOptions = ["java", "threads", "safepoints", "interval", "warmup"]

    static func register(in vm: LuaVM, session: Session) {
        StormPresentation.register(in: vm)
        vm.registerModule("pagelab.safepoint", functions: functions(session: session))
    }

    static func functions(session: Session) -> [LuaFunction] {
        [
            LuaFunction(
                "storm",
                parameters: ["options?: {mechanism?: string, threads?: integer, work?: string, interval?: integer, straggler?: integer, natives?: integer, ordering?: string, java_units?: integer, native_units?: integer, buffer?: integer|string, timeout?: number|string, nice?: integer, wait?: string, rate?: number, duration?: number|string, safepoints?: integer, operation?: number|string, name?: string, throughput?: boolean, log?: string}"],
                returns: "pagelab.Storm",
                summary: "Safepoints at `rate` per second (0: back to back) for `duration` on native mutators: TTSP percentiles, throughput loss, traps, -Xlog:safepoint lines."
            ) { call in
                try guardHost("storm", session)
                let options = try stormOptions(call)
                let result = try mapErrors(inTable(stormOptions)) {
                    try Storm.run(options)
                }
                StormPresentation.push(result, on: call)
                return 1
            },
            LuaFunction(
                "transition_cost", parameters: ["ordering: string", "transitions?: integer"], returns: "number",
                summary: "ns per thread-state transition with `serialize-page`, `fence`, `membarrier` or `none` (the unordered floor)."
            ) { call in
                let name = try call.string(1)
                let ordering = name == "none" ? nil : try mapErrors(["ordering": 1]) { try Ordering.named(name, parameter: "ordering") }
                let transitions = call.isNoneOrNil(2) ? 1_000_000 : try call.integer(2)
                call.push(.number(try mapErrors(["transitions": 2]) { try TransitionCost.measure(ordering, transitions: transitions) }))
                return 1
            },
            LuaFunction(
                "java", parameters: ["options?: {java?: string, threads?: integer, safepoints?: integer, interval?: number|string, warmup?: number|string}"],
                returns: "pagelab.JavaSafepoints",
                summary: "Compiles and runs a program under `java -Xlog:safepoint` that forces ThreadDump safepoints; returns its Reaching/Total percentiles and log lines."
            ) { call in
                try guardHost("java", session)
                let options = try javaOptions(call)
                let run = try mapErrors(inTable(javaOptions)) { try JavaSafepoints.run(options) }
                call.push(StormPresentation.value(run))
                return 1
            },
            LuaFunction(
                "parse_log", parameters: ["line: string"], returns: "pagelab.SafepointLogLine?",
                summary: "Reads one -Xlog:safepoint line of JDK 17, 21 or 25 into its fields (ns), or nil."
            ) { call in
                call.push(SafepointLog.parse(try call.string(1)).map(StormPresentation.value) ?? .nil)
                return 1
            },
            LuaFunction(
                "duration", parameters: ["ns: integer"], returns: "string",
                summary: "Nanoseconds in the unit that keeps three or four digits: `sp.duration(1400)` is \"1.4 µs\"."
            ) { call in
                call.push(Presentation.formatDuration(try call.integer(1)))
                return 1
            },
            LuaFunction("mechanisms", returns: "string[]", summary: "The poll mechanisms `storm` takes.") { call in
                call.push(.table(array: Mechanism.allCases.map { .string($0.rawValue) }, record: [:]))
                return 1
            },
            LuaFunction("orderings", returns: "string[]", summary: "The orderings of native transitions `storm` takes.") { call in
                call.push(.table(array: Ordering.allCases.map { .string($0.rawValue) }, record: [:]))
                return 1
            },
        ]
    }

    /// Storms run real threads and take real signals: there is nothing of them to simulate, so on
    /// the model backend they are refused rather than measured on the host in a simulated run.
    static func guardHost(_ function: String, _ session: Session) throws {
        try session.guardDeclaration(function)
        guard case .host = session.space.kind else {
            throw LuaRaise("\(function): pagelab.safepoint measures this host's threads and signals; it does not run on the \(session.space.kind.name) backend")
        }
    }

    static func stormOptions(_ call: LuaCall) throws -> StormOptions {
        var storm = StormOptions()
        guard let options = try call.options(1, allowed: stormOptions) else { return storm }
        let table = try call.value(1)
        try mapErrors(inTable(stormOptions)) {
            var mutators = MutatorOptions()
            if let text = try options.string("mechanism") { mutators.mechanism = try Mechanism.named(text, parameter: "mechanism") }
            if let text = try options.string("work") { mutators.work = try Work.named(text, parameter: "work") }
            if let text = try options.string("ordering") { mutators.ordering = try Ordering.named(text, parameter: "ordering") }
            if let text = try options.string("wait") { mutators.wait = try CoordinatorWait.named(text, parameter: "wait") }
            mutators.threads = try options.integer("threads") ?? mutators.threads
            mutators.pollInterval = try options.integer("interval") ?? mutators.pollInterval
            mutators.stragglerUnits = try options.integer("straggler") ?? mutators.stragglerUnits
            mutators.nativeThreads = try options.integer("natives") ?? mutators.nativeThreads
            mutators.javaUnits = try options.integer("java_units") ?? mutators.javaUnits
            mutators.nativeUnits = try options.integer("native_units") ?? mutators.nativeUnits
            mutators.bufferBytes = try options.size("buffer") ?? mutators.bufferBytes
            mutators.nice = try options.integer("nice") ?? mutators.nice
            mutators.timeoutNanoseconds = try duration(table["timeout"], "timeout") ?? mutators.timeoutNanoseconds
            storm.mutators = mutators
            storm.rate = try number(table["rate"], "rate") ?? storm.rate
            storm.durationNanoseconds = try duration(table["duration"], "duration") ?? storm.durationNanoseconds
            storm.operationNanoseconds = try duration(table["operation"], "operation") ?? storm.operationNanoseconds
            storm.maximumSafepoints = try options.integer("safepoints")
            storm.operationName = try options.string("name") ?? storm.operationName
            storm.measureThroughput = try options.boolean("throughput") ?? storm.measureThroughput
            if let text = try options.string("log") { storm.logFormat = try SafepointLogFormat.named(text, parameter: "log") }
        }
        return storm
    }

    static func javaOptions(_ call: LuaCall) throws -> JavaSafepoints.Options {
        var java = JavaSafepoints.Options()
        guard let options = try call.options(1, allowed: javaOptions) else { return java }
        let table = try call.value(1)
        try mapErrors(inTable(javaOptions)) {
            java.java = try options.string("java") ?? java.java
            java.threads = try options.integer("threads") ?? java.threads
            java.safepoints = try options.integer("safepoints") ?? java.safepoints
            java.intervalNanoseconds = try duration(table["interval"], "interval") ?? java.intervalNanoseconds
            java.warmUpNanoseconds = try duration(table["warmup"], "warmup") ?? java.warmUpNanoseconds
        }
        return java
    }

    /// Every option of a function whose one argument is an options table: bad values are argument #1.
    static func inTable(_ options: [String]) -> [String: Int32] {
        Dictionary(uniqueKeysWithValues: options.map { ($0, 1) })
    }

    /// A number option (integer or float).
    static func number(_ value: LuaValue?, _ name: String) throws -> Double? {
        switch value {
        case nil, .nil?: return nil
        case .integer(let number)?: return Double(number)
        case .number(let number)?: return number
        default: throw PageError(.invalidArgument(parameter: name), "option '\(name)': number expected")
        }
    }

    /// A duration option: seconds as a number, or text such as "500ms".
    static func duration(_ value: LuaValue?, _ name: String) throws -> UInt64? {
        switch value {
        case nil, .nil?: return nil
        case .string(let text)?: return try DurationText.parse(text, parameter: name)
        default:
            guard let seconds = try number(value, name) else { return nil }
            return try DurationText.seconds(seconds, parameter: name)
        }
    }
}
