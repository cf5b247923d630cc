import LuaBridge

extension Workbench {
    /// Streams `report` while the scenario runs: a line after each memory operation that finds one
    /// due, and from the VM's tick while the scenario computes in Lua between operations, so that
    /// a scenario busy in Lua still reports on time.
    public func streamIntervals(_ report: IntervalReport) {
        session.intervalReport = report
        vm.setTick(every: report.intervalNanoseconds) { [unowned session] in report.sampleIfDue(session) }
    }
}
