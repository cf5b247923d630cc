import PageCore
import PageJVM

/// A booted JVM for people: what was modelled, HotSpot's warnings and `-Xlog` lines, the NMT
/// summary with resident bytes, and on request the detail view.
public enum JVMText {
    public static func render(_ jvm: JVM, detail: Bool) throws(PageError) -> String {
        let configuration = jvm.configuration
        let heap = jvm.heap!
        var text = "JDK \(configuration.jdk) model, \(configuration.collector.rawValue) GC, \(jvm.space.kind.name) backend: "
        text += "\(configuration.machine.cpus) CPUs, \(ByteSize.format(configuration.machine.ram)) RAM\n"
        // No `joined` (see NMTSummary.text): its first call scans every protocol conformance record.
        text += "Options: "
        for (index, option) in configuration.arguments.options.enumerated() {
            text += (index == 0 ? "" : " ") + option
        }
        text += "\n"
        for warning in configuration.warnings {
            text += "OpenJDK 64-Bit Server VM warning: \(warning)\n"
        }
        text += "Heap: \(ByteSize.format(heap.size)) at \(JVM.pointer(heap.base)), compressed oops: \(heap.mode.rawValue)"
        if heap.mode != .disabled { text += ", shift \(heap.shift)" }
        if configuration.regionSize > 0 { text += ", region size \(ByteSize.format(configuration.regionSize))" }
        text += "\n\n"
        for line in jvm.log {
            text += line + "\n"
        }
        text += jvm.log.isEmpty ? "\n\n" : "\n"
        text += try NMTSummary(jvm).text
        if detail { text += "\n" + (try jvm.detail()) }
        return text
    }
}
