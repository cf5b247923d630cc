
extension PluginPack {
    /// A pack is the project's own when it lives in the project's `plugins/` folder: it ships with
    /// PageLab and runs trusted. Every other pack (PAGELAB_PLUGINS, the user's data folder) runs in
    /// the sandbox unless the user passes `--trust`.
    public var isProjectPack: Bool { origin == .project }
}

extension RunPolicy {
    /// How a scenario runs. A file the user names (`pack` nil) is their own script and runs
    /// trusted, as `lua file.lua` would; so does a project pack, or any pack with `trust`. Other
    /// packs run in the sandbox with the untrusted budgets. Budgets the user gives apply in every
    /// case. The output folder defaults to `out/PACK-SCENARIO` (`out/NAME` for a file).
    public static func forScenario(
        pack: PluginPack?, scenario: String, trust: Bool, timeout: RunLimits.Limit<UInt64>?,
        luaMemory: RunLimits.Limit<Int>?, output: String?
    ) -> RunPolicy {
        let sandboxed = !trust && pack.map { !$0.isProjectPack } == true
        var limits = sandboxed ? RunLimits.untrusted : RunLimits.none
        if let timeout { limits.timeout = timeout }
        if let luaMemory { limits.luaMemory = luaMemory }
        guard sandboxed, let pack else { return RunPolicy(sandbox: nil, limits: limits) }
        let folder = output ?? "out/\(pack.name)-\(scenario)"
        return RunPolicy(sandbox: Sandbox(pack: pack.name, packFolder: pack.folder, outputFolder: folder), limits: limits)
    }
}
