/// Thread stack sizes and HotSpot's guard zones on linux-x64 (`globals_linux_x86.hpp`,
/// `cpu/x86/globals_x86.hpp`, `runtime/stackOverflow.cpp`; `docs/hotspot.md` §9): red 1, yellow 2
/// and reserved 1 pages of 4 KiB at the low end, mprotected PROT_NONE; the shadow zone of 20
/// pages above them is not protected.
public struct StackConfiguration: Sendable {
    public let javaThread: Int
    public let vmThread: Int
    public let compilerThread: Int
    /// Red, yellow and reserved zones together, page-aligned.
    public let guardZone: Int
    public let shadowZone: Int
    /// The smallest Java thread stack (`os::Posix::set_minimum_stack_sizes`): the guard and
    /// shadow zones plus 40 KiB (`_java_thread_min_stack_allowed`) = 136 KiB on linux-x64.
    public var minimumJavaThread: Int { guardZone + shadowZone + 40 * 1024 }

    init(_ arguments: JVMArguments, pageSize: Int) {
        let kib = { (flag: String) in JVMConfiguration.alignUp(arguments.integer(flag) * 1024, pageSize) }
        javaThread = kib("ThreadStackSize")
        vmThread = kib("VMThreadStackSize")
        compilerThread = kib("CompilerThreadStackSize")
        guardZone = JVMConfiguration.alignUp(4 * 4096, pageSize)
        shadowZone = JVMConfiguration.alignUp(20 * 4096, pageSize)
    }
}
