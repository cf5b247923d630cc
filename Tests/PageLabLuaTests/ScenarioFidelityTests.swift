import LuaBridge
import PageCore
import XCTest
@testable import PageLabLua

/// Every shipped scenario that both backends can run (plugins/*, `backends` not narrowed) runs
/// on the host and on a model of this host; after every memory operation in the scenario's space
/// (its own and those of the models it drives, such as the JVM's) the page states of the region
/// must be the same page for page, and so must the committed, resident, zero and huge bytes of
/// every snapshot and of every region at the end (DESIGN §2).
final class ScenarioFidelityTests: XCTestCase {
    static let plugins = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("plugins").path

    func testEveryShippedScenarioGivesTheSamePagesOnBothBackends() throws {
        let catalog = PluginCatalog(searchPaths: [Self.plugins])
        XCTAssertEqual(catalog.problems, [])
        var compared: [String] = []
        for pack in catalog.packs {
            for scenario in pack.scenarios {
                let address = "\(pack.name)/\(scenario.name)"
                guard try Workbench.declaration(ofFile: scenario.file).backends == Backend.names else { continue }
                let runs = try [Backend.host, .model(.likeHost())].map { backend -> (bench: Workbench, error: Error?) in
                    let bench = try Workbench(budget: .standard(), backend: backend)
                    bench.session.tracesPageStates = true
                    do {
                        try bench.run(file: scenario.file, settings: [])
                        return (bench, nil)
                    } catch {
                        return (bench, error)
                    }
                }
                defer { for run in runs { run.bench.session.releaseAll() } }
                let (host, model) = (runs[0].bench.session, runs[1].bench.session)
                XCTAssertEqual(runs[0].error?.shown, runs[1].error?.shown, "\(address): how it ended")
                XCTAssertEqual(host.pageStateTrace.count, model.pageStateTrace.count, "\(address): operations")
                for (step, (a, b)) in zip(host.pageStateTrace, model.pageStateTrace).enumerated() where a != b {
                    XCTFail("\(address): after operation \(step + 1) (\(a.operation) of '\(a.region)'): host \(a.states), model \(b.states)")
                    break
                }
                XCTAssertEqual(counts(host.finalRegionReports()), counts(model.finalRegionReports()), "\(address): final regions")
                XCTAssertEqual(host.snapshots.map { counts($0.regions) }, model.snapshots.map { counts($0.regions) }, "\(address): snapshots")
                XCTAssertEqual(host.space.regions.map(\.name), model.space.regions.map(\.name), "\(address): regions left open")
                for (a, b) in zip(host.space.regions, model.space.regions) {
                    let states = try [a, b].map { PageState.runs(try $0.pageStates()) }
                    XCTAssertEqual(states[0], states[1], "\(address): pages of '\(a.name)' at the end")
                }
                if !host.pageStateTrace.isEmpty { compared.append(address) }
            }
        }
        XCTAssertTrue(compared.contains("host/commit-vs-resident") && compared.contains("host/pretouch"),
                      "scenarios compared operation by operation: \(compared)")
    }

    /// Region name → committed, resident, zero and huge bytes.
    private func counts(_ reports: [RegionReport]) -> [String] {
        reports.map { "\($0.name): committed \($0.stats.committed) resident \($0.stats.resident) zero \($0.stats.zero) huge \($0.stats.huge)" }
    }
}
