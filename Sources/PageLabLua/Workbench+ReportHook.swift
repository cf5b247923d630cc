import LuaBridge

extension Workbench {
    /// Calls the scenario's `report(result)` (sysbench's `report` hook) with the run's result: the
    /// document `--json` writes, as a Lua table (`result.manifest.status`, `result.regions`,
    /// `result.results`, `#result.operations`, ...).
    /// - Returns: false when the scenario has no `report` function, so the default final printout
    ///   stays.
    public func callReportHook(_ result: JSON) throws -> Bool {
        guard let reportHook else { return false }
        _ = try vm.callField("report", of: reportHook, arguments: [LuaValue(result)])
        return true
    }
}
