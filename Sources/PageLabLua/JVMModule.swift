import LuaBridge
import PageCore
import PageJVM

/// The `pagelab.jvm` module: HotSpot's native memory from a JVM command line.
/// `jvm.boot{ "-Xmx8g", "-XX:+UseG1GC", jdk = 17 }` lays the JVM out in the session's address
/// space (so the commit budget, `--hold` and the final release apply to it) and returns a handle.
enum JVMModule {
    static let optionKeys = ["jdk", "ram", "cpus"]

    static func functions(session: Session, vms: LuaHandleType<JVM>) -> [LuaFunction] {
        [
            LuaFunction(
                "boot", parameters: ["options: {[integer]: string, jdk?: integer, ram?: integer|string, cpus?: integer}"],
                returns: "pagelab.JVM",
                summary: "Reserves and commits every area of a JVM started with these options, in HotSpot's order."
            ) { call in
                try session.guardDeclaration("boot")
                let (options, jdk, machine) = try arguments(call)
                let jvm = try raisingJVMErrors { try JVM.boot(options, jdk: jdk, machine: machine, space: session.space) }
                vms.push(jvm, on: call)
                return 1
            },
            LuaFunction(
                "configure", parameters: ["options: {[integer]: string, jdk?: integer, ram?: integer|string, cpus?: integer}"],
                returns: "table",
                summary: "The flags after HotSpot's ergonomics (as -XX:+PrintFlagsFinal shows them), without mapping anything."
            ) { call in
                let (options, jdk, machine) = try arguments(call)
                let configuration = try raisingJVMErrors { try JVMConfiguration(try JVMArguments(options, jdk: jdk), machine: machine) }
                call.push(LuaValue(flagsJSON(configuration)))
                return 1
            },
        ]
    }

    static func makeType(session: Session) -> LuaHandleType<JVM> {
        LuaHandleType<JVM>(
            name: "jvm", className: "pagelab.JVM",
            summary: "A JVM laid out by jvm.boot: its areas live in the session's address space until it is closed.",
            methods: [
                LuaMethod("report", returns: "table", summary: "The JVM as `pagelab jvm --format json` writes it: flags, heap, NMT per category, areas, log, warnings.") { jvm, call in
                    call.push(LuaValue(try mapErrors([:]) { try JVMReport.json(jvm) }))
                    return 1
                },
                LuaMethod("nmt", returns: "table<string, {reserved: integer, committed: integer, resident: integer}>",
                          summary: "NMT's mmap figures per category, with resident bytes.") { jvm, call in
                    call.push(LuaValue(try mapErrors([:]) { try JVMReport.json(jvm) }["nmt"] ?? .null))
                    return 1
                },
                LuaMethod("summary", returns: "string", summary: "NMT's summary text (jcmd VM.native_memory summary), with resident.") { jvm, call in
                    call.push(try mapErrors([:]) { try NMTSummary(jvm).text })
                    return 1
                },
                LuaMethod("detail", returns: "string", summary: "NMT's detail view: every reservation with its committed ranges and resident bytes.") { jvm, call in
                    call.push(try mapErrors([:]) { try jvm.detail() })
                    return 1
                },
                LuaMethod("log", returns: "string[]", summary: "The -Xlog lines HotSpot prints at start-up for these options.") { jvm, call in
                    call.push(LuaValue(.array(jvm.log.map { .string($0) })))
                    return 1
                },
            ] + JVMRuntimeBinding.methods,
            properties: [
                LuaProperty("jdk", type: "integer", summary: "The modelled release: 17, 21 or 25.") { jvm, call in call.push(jvm.configuration.jdk.rawValue) },
                LuaProperty("collector", type: "string", summary: "The garbage collector the options select.") { jvm, call in
                    call.push(jvm.configuration.collector.rawValue)
                },
                LuaProperty("heap", type: "{base: integer, size: integer, coops_mode: string, coops_shift: integer, region_size: integer}",
                            summary: "Where the heap is and how oops are encoded.") { jvm, call in
                    let heap = jvm.heap!
                    call.push(LuaValue(.object([
                        ("base", .int(Int(heap.base))), ("size", .int(heap.size)), ("coops_mode", .string(heap.mode.rawValue)),
                        ("coops_shift", .int(heap.shift)), ("region_size", .int(jvm.configuration.regionSize)),
                    ])))
                },
            ],
            describe: { jvm in
                "jvm (JDK \(jvm.configuration.jdk), \(jvm.configuration.collector.rawValue), heap \(ByteSize.format(jvm.heap.size)) at \(JVM.pointer(jvm.heap.base)))"
            },
            release: { jvm in session.releasing { jvm.close() } })
    }

    /// The options table: JVM options in its array part, `jdk`, `ram` and `cpus` as fields.
    private static func arguments(_ call: LuaCall) throws -> ([String], JDK, JVMMachine) {
        guard call.isTable(1) else { throw call.typeError(1, expected: "table") }
        guard case .table(let array, let record) = try call.value(1) else { throw call.typeError(1, expected: "table") }
        if let unknown = record.keys.sorted().first(where: { !optionKeys.contains($0) }) {
            throw LuaArgumentError(position: 1, message: "unknown option '\(unknown)' (expected JVM options in the array part and \(optionKeys.joined(separator: ", ")))")
        }
        let options = try array.enumerated().map { index, value throws -> String in
            guard case .string(let option) = value else {
                throw LuaArgumentError(position: 1, message: "JVM option #\(index + 1) must be a string")
            }
            return option
        }
        let release = try integerField(record["jdk"], "jdk") ?? 17
        guard let jdk = JDK(rawValue: release) else {
            throw LuaArgumentError(position: 1, message: "jdk must be 17, 21 or 25, not \(release)")
        }
        var machine = JVMMachine.host()
        switch record["ram"] {
        case nil: break
        case .integer(let bytes)?: machine.ram = bytes
        case .string(let text)?: machine.ram = try mapErrors(["size": 1]) { try ByteSize.parse(text) }
        default: throw LuaArgumentError(position: 1, message: "ram must be a size")
        }
        if let cpus = try integerField(record["cpus"], "cpus") {
            guard cpus > 0 else { throw LuaArgumentError(position: 1, message: "cpus must be positive, not \(cpus)") }
            machine.cpus = cpus
        }
        return (options, jdk, machine)
    }

    private static func integerField(_ value: LuaValue?, _ name: String) throws -> Int? {
        switch value {
        case nil: return nil
        case .integer(let number)?: return number
        default: throw LuaArgumentError(position: 1, message: "\(name) must be an integer")
        }
    }

    /// JVM errors become Lua errors in the JVM's words; PageCore errors as everywhere.
    private static func raisingJVMErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try mapErrors([:], body)
        } catch let error as JVMError {
            throw LuaRaise(error.message)
        }
    }

    static func flagsJSON(_ configuration: JVMConfiguration) -> JSON {
        .object(configuration.effectiveFlags.map { name, value in
            switch value {
            case .bool(let flag): (name, .bool(flag))
            case .integer(let number): (name, .int(number))
            case .double(let number): (name, .double(number))
            case .string(let text): (name, .string(text))
            }
        })
    }
}
