import Foundation
import LuaBridge

/// Reads and checks a pack's `plugin.lua` and compiles its scenario files, so that every mistake
/// in a pack is found when the pack is listed or installed, not halfway through a run.
enum PackManifest {
    static let fileName = "plugin.lua"
    static let fields = ["name", "version", "api", "description", "author", "license", "scenarios"]
    static let scenarioFields = ["name", "file", "description"]

    /// The most memory and the most VM instructions a manifest may use: it only returns a table.
    static let memoryLimit = 16 << 20
    static let instructionLimit = 10_000_000

    /// Runs the manifest in a Lua state of its own, in an empty environment, with no string
    /// methods and an instruction budget: it can name things, but cannot call anything, write
    /// anything or loop for ever.
    private static let reader = """
        local source, chunkname, budget = ...
        local chunk, problem = load(source, chunkname, "t", {})
        if not chunk then error(problem, 0) end
        debug.setmetatable("", nil)
        debug.sethook(function()
          local where = debug.getinfo(2, "Sl")
          error(string.format("%s:%d: the manifest ran past %d instructions (a manifest only returns a table)",
            where.short_src, where.currentline, budget), 0)
        end, "", budget)
        local manifest = chunk()
        debug.sethook()
        return manifest
        """

    /// Reads the pack in `folder`.
    static func load(_ folder: String, origin: PackOrigin) throws(PackProblem) -> PluginPack {
        let file = folder + "/" + fileName
        var packName = (folder as NSString).lastPathComponent
        let text = try source(of: fileName, in: folder, pack: packName)
        func problem(_ message: String, field: String? = nil, near needle: String? = nil) -> PackProblem {
            let line = needle.flatMap { lineContaining($0, in: text) } ?? field.flatMap { lineOfField($0, in: text) }
            return PackProblem(pack: packName, folder: folder, file: file, line: line, message: message)
        }
        let manifest: LuaValue
        do {
            let vm = try LuaVM()
            vm.memoryLimit = memoryLimit
            try vm.load(reader, chunkName: "=pagelab manifest reader")
            manifest = try vm.callFunctionOnTop(arguments: [.string(text), .string("=" + fileName), .integer(instructionLimit)]).first ?? .nil
        } catch {
            throw PackProblem.fromLua((error as? LuaScriptError)?.message ?? "\(error)", chunk: fileName, pack: packName, folder: folder)
        }
        guard case .table(let list, let record) = manifest, list.isEmpty else {
            throw problem("the manifest returns \(ScenarioDeclaration.kind(manifest)), not a table { \(fields.map { "\($0) =" }.joined(separator: ", ")) }")
        }
        if let unknown = record.keys.sorted().first(where: { !fields.contains($0) }) {
            throw problem("unknown field '\(unknown)' (fields: \(fields.joined(separator: ", ")))", field: unknown)
        }
        func string(_ key: String) throws(PackProblem) -> String {
            guard let value = record[key] else { throw problem("the manifest has no '\(key)' field") }
            guard let text = value.stringValue, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw problem("'\(key)' must be a non-empty string (it is \(ScenarioDeclaration.kind(value)))", field: key)
            }
            return text
        }
        let name = try string("name")
        guard isValidName(name) else {
            throw problem("pack name '\(name)' may hold only letters, digits, '-' and '_', and starts with a letter", field: "name")
        }
        packName = name
        let version = try string("version")
        guard isValidVersion(version) else {
            throw problem("version '\(version)' is not a version number such as 1.0.0", field: "version")
        }
        guard let apiValue = record["api"] else { throw problem("the manifest has no 'api' field") }
        guard let api = apiValue.integerValue else {
            throw problem("'api' must be an integer (it is \(ScenarioDeclaration.kind(apiValue)))", field: "api")
        }
        guard PluginCatalog.supportedAPIVersions.contains(api) else {
            throw problem(
                "unsupported PageLab API version \(api) (this PageLab supports API \(PluginCatalog.supportedAPIVersions.map(String.init).joined(separator: ", ")))",
                field: "api")
        }
        let description = try string("description")
        let author = try string("author")
        let license = try string("license")
        guard let declared = record["scenarios"] else { throw problem("the manifest has no 'scenarios' field") }
        guard case .table(let entries, let extra) = declared, extra.isEmpty, !entries.isEmpty else {
            throw problem("'scenarios' must be a non-empty list of { name =, file =, description = } tables", field: "scenarios")
        }
        var scenarios: [PackScenario] = []
        for (index, entry) in entries.enumerated() {
            let scenario = try self.scenario(entry, number: index + 1, folder: folder, problem: problem)
            guard !scenarios.contains(where: { $0.name == scenario.name }) else {
                throw problem("scenario '\(scenario.name)' is declared twice", near: "\"\(scenario.name)\"")
            }
            scenarios.append(scenario)
        }
        for scenario in scenarios {
            let relative = String(scenario.file.dropFirst(folder.count + 1))
            try checkSyntax(of: relative, in: folder, pack: name)
        }
        return PluginPack(
            name: name, version: version, api: api, description: description, author: author, license: license,
            folder: folder, origin: origin, scenarios: scenarios)
    }

    private static func scenario(
        _ entry: LuaValue, number: Int, folder: String, problem: (String, String?, String?) -> PackProblem
    ) throws(PackProblem) -> PackScenario {
        let shape = "{ name =, file =, description = }"
        guard case .table(let list, let record) = entry, list.isEmpty else {
            throw problem("scenario #\(number) is \(ScenarioDeclaration.kind(entry)), not a table \(shape)", "scenarios", nil)
        }
        let near = record["name"]?.stringValue.map { "\"\($0)\"" }
        if let unknown = record.keys.sorted().first(where: { !scenarioFields.contains($0) }) {
            throw problem("scenario #\(number) has an unknown field '\(unknown)' (fields: \(scenarioFields.joined(separator: ", ")))", unknown, near)
        }
        var values: [String: String] = [:]
        for key in scenarioFields {
            guard let text = record[key]?.stringValue, !text.isEmpty else {
                throw problem("scenario #\(number) has no '\(key)' string \(shape)", "scenarios", near)
            }
            values[key] = text
        }
        let name = values["name"]!, file = values["file"]!
        guard isValidName(name) else {
            throw problem("scenario name '\(name)' may hold only letters, digits, '-' and '_', and starts with a letter", nil, near)
        }
        guard isInsidePack(file), file.hasSuffix(".lua") else {
            throw problem("scenario '\(name)': file '\(file)' must be a .lua file inside the pack (a relative path, no '..', nothing hidden)", nil, near)
        }
        let path = folder + "/" + file
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw problem("scenario '\(name)' names a missing file '\(file)'", nil, near)
        }
        return PackScenario(name: name, file: path, description: values["description"]!)
    }

    /// Checks a whole pack before it is packed or installed: its manifest and scenarios as `load`
    /// does, and every other Lua file it holds (its modules and tests) for syntax.
    static func validate(_ folder: String, files: [PackFile], origin: PackOrigin) throws(PackProblem) -> PluginPack {
        let pack = try load(folder, origin: origin)
        for file in files where file.path.hasSuffix(".lua") && !pack.scenarios.contains(where: { $0.file == folder + "/" + file.path }) {
            try checkSyntax(of: file.path, in: folder, pack: pack.name)
        }
        return pack
    }

    /// Compiles the file at `relative` in the pack, without running it.
    static func checkSyntax(of relative: String, in folder: String, pack: String) throws(PackProblem) {
        let text = try source(of: relative, in: folder, pack: pack)
        do {
            try LuaVM().checkSyntax(text, chunkName: "=" + relative)
        } catch {
            throw PackProblem.fromLua((error as? LuaScriptError)?.message ?? "\(error)", chunk: relative, pack: pack, folder: folder)
        }
    }

    private static func source(of relative: String, in folder: String, pack: String) throws(PackProblem) -> String {
        guard let data = FileManager.default.contents(atPath: folder + "/" + relative) else {
            throw PackProblem(pack: pack, folder: folder, file: folder + "/" + relative, line: nil, message: "cannot read the file")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A name usable as a folder, in `PACK/SCENARIO` and in `require "PACK.module"`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII, name.utf8.count <= 64 else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
    }

    /// `1`, `1.2`, `1.2.3`, with an optional `-suffix` of letters, digits, dots and dashes.
    static func isValidVersion(_ version: String) -> Bool {
        let parts = version.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let numbers = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(numbers.count), numbers.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return false
        }
        guard parts.count == 2 else { return true }
        return !parts[1].isEmpty && parts[1].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
    }

    /// A relative path of plain components: not absolute, no empty parts, and none hidden (which
    /// also rules out `.` and `..`), since hidden files are neither packed nor installed.
    static func isInsidePack(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return !path.isEmpty && parts.allSatisfy { !$0.isEmpty && !$0.hasPrefix(".") }
    }

    /// The line where `key = ...` is first written, for a message about that field. A manifest is
    /// a table literal, so the first assignment-looking line is nearly always the one.
    static func lineOfField(_ key: String, in text: String) -> Int? {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let squeezed = line.filter { !$0.isWhitespace }
            if squeezed.hasPrefix("--") { continue }
            if squeezed.hasPrefix(key + "="), !squeezed.hasPrefix(key + "==") { return number + 1 }
            if squeezed.contains("{" + key + "=") || squeezed.contains("," + key + "=") { return number + 1 }
        }
        return nil
    }

    private static func lineContaining(_ needle: String, in text: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }.map { $0 + 1 }
    }
}
