import LuaBridge
import PageCore

/// One Lua state with the `pagelab` module, bound to one session and its address space: what a
/// scenario run or a REPL works in.
public final class Workbench {
    public let vm: LuaVM
    public let session: Session
    /// The scenario's table when it has a `report` function (see Workbench+ReportHook.swift).
    var reportHook: LuaReference?
    private let packs: () -> [PluginPack]
    /// How scenarios run here: in a pack's sandbox or trusted, and within which budgets.
    public var policy = RunPolicy.trusted

    /// `packs` are the plugin packs whose modules `require` finds (`require "PACK.module"`).
    public init(
        budget: CommitBudget, backend: Backend = .host,
        packs: @escaping @autoclosure () -> [PluginPack] = PluginCatalog.discovered.packs
    ) throws {
        vm = try LuaVM()
        self.packs = packs
        session = Session(space: AddressSpace(budget: budget, backend: backend))
        Presentation.register(in: vm)
        let shared = SharedMemoryBinding.makeType(session: session)
        shared.register(in: vm)
        let regions = RegionBinding.makeType(session: session, shared: shared)
        regions.register(in: vm)
        TLBModule.register(in: vm, session: session, regions: regions)
        let spaces = SpaceBinding.makeType(session: session, regions: regions, shared: shared)
        spaces.register(in: vm)
        vm.registerModule("pagelab", functions: PagelabModule.functions(session: session, regions: regions, spaces: spaces)
            + [SharedMemoryBinding.function(session: session, shared: shared)], global: "pl")
        vm.registerModule("pagelab.numa", functions: NUMAModule.functions(session: session, regions: regions, spaces: spaces))
        let jvms = JVMModule.makeType(session: session)
        jvms.register(in: vm)
        vm.registerModule("pagelab.jvm", functions: JVMModule.functions(session: session, vms: jvms))
        SafepointModule.register(in: vm, session: session)
        PackModules.install(in: vm, packs: packs)
    }

    deinit { session.releaseAll() }

    /// Reads what a scenario file declares without doing its memory work. A plain script (one
    /// whose top level works on memory) declares nothing.
    public static func declaration(
        ofFile file: String, policy: RunPolicy = .trusted,
        packs: @escaping @autoclosure () -> [PluginPack] = PluginCatalog.discovered.packs
    ) throws -> ScenarioDeclaration {
        let bench = try Workbench(budget: CommitBudget(limit: 0), packs: packs())
        bench.session.declarationOnly = true
        bench.policy = policy
        do {
            return try bench.underPolicy(file: file) { try ScenarioDeclaration(try bench.vm.runFile(file).value, file: file) }
        } catch let error as LuaScriptError where error.message.contains(Session.declarationMessage) {
            return try ScenarioDeclaration(nil, file: file)
        }
    }

    /// Runs a scenario file: its top level, then `run(params)` when it declares one.
    /// - Returns: the effective parameters.
    @discardableResult
    public func run(file: String, settings: [(String, String)]) throws -> [(name: String, value: LuaValue)] {
        let declaration = try Self.declaration(ofFile: file, policy: policy, packs: self.packs())
        let backend = session.space.kind.name
        guard declaration.backends.contains(backend) else {
            throw ScenarioError("\(file) runs only on the \(declaration.backends.joined(separator: " and ")) backend (its `backends`), not on \(backend)")
        }
        let parameters = try declaration.resolve(settings)
        try underPolicy(file: file) {
            let chunk = try vm.runFile(file)
            if declaration.hasReport { reportHook = chunk.reference }
            if declaration.hasRun {
                let table = LuaValue.table(array: [], record: Dictionary(parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }))
                _ = try vm.callField("run", of: chunk.reference, arguments: [table])
            }
        }
        return parameters
    }
}
