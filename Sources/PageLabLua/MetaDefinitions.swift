import LuaBridge
import PageCore

/// LuaLS definitions (`---@meta`) of everything a workbench registers, for completion and type
/// checks in editors. Written from the VM's catalog, which the registrations record themselves,
/// so the definitions cannot fall behind the API.
public enum MetaDefinitions {
    /// One definition file: the result tables, the handle classes, then every module by name. The
    /// `pagelab` module is also the global `pl`.
    public static func file(_ catalog: LuaCatalog) -> String {
        ([header] + shared(catalog) + modules(catalog).map { module($0, returning: false) }).joined(separator: "\n\n") + "\n"
    }

    /// One file per module, at the path `require` finds it under a library folder
    /// (`pagelab.lua`, `pagelab/numa.lua`); the shared classes go with the first, `pagelab`.
    public static func files(_ catalog: LuaCatalog) -> [(path: String, text: String)] {
        modules(catalog).enumerated().map { index, module in
            let parts = [header] + (index == 0 ? shared(catalog) : []) + [self.module(module, returning: true)]
            return (module.name.replacingOccurrences(of: ".", with: "/") + ".lua", parts.joined(separator: "\n\n") + "\n")
        }
    }

    private static func modules(_ catalog: LuaCatalog) -> [LuaCatalog.Module] {
        catalog.modules.sorted { $0.name < $1.name }
    }

    /// The variable a module's functions hang on: its global (`pl`) or its last name (`numa`).
    public static func variable(of module: LuaCatalog.Module) -> String {
        module.global ?? String(module.name.split(separator: ".").last ?? Substring(module.name))
    }

    private static var header: String {
        "---@meta\n-- PageLab \(HostManifest.pagelabVersion) Lua API for LuaLS, written by `pagelab meta` from the registration table."
    }

    private static func shared(_ catalog: LuaCatalog) -> [String] {
        ResultShapes.all.map { shape in
            comment(shape.summary) + "---@class \(shape.name)" + shape.fields.map { "\n" + field($0) }.joined()
        } + catalog.classes.map(handleClass)
    }

    private static func handleClass(_ handle: LuaCatalog.HandleClass) -> String {
        let variable = handle.className.split(separator: ".").last.map(String.init) ?? handle.className
        var text = comment(handle.summary) + "---@class \(handle.className)\n" + handle.fields.map { field($0) + "\n" }.joined()
        text += "local \(variable) = {}"
        for method in handle.methods {
            text += "\n\n" + function(method, as: "\(variable):\(method.name)")
        }
        return text
    }

    private static func module(_ module: LuaCatalog.Module, returning: Bool) -> String {
        let variable = variable(of: module)
        var text = comment("`local \(variable) = require \"\(module.name)\"`" + (module.global.map { "; also the global `\($0)`." } ?? ""))
        text += "---@class \(module.name)\n"
        text += (module.global == nil ? "local " : "") + "\(variable) = {}"
        for function in module.functions {
            text += "\n\n" + self.function(function, as: "\(variable).\(function.name)")
        }
        if returning { text += "\n\nreturn \(variable)" }
        return text
    }

    /// `---summary`, `---@param name type` per parameter, `---@return type`, then the stub.
    static func function(_ signature: LuaSignature, as name: String) -> String {
        var text = comment(signature.summary)
        var names: [String] = []
        for parameter in signature.parameters {
            let (name, type) = split(parameter)
            text += "---@param \(name) \(type)\n"
            names.append(name.hasSuffix("?") ? String(name.dropLast()) : name)
        }
        if let returns = signature.returns { text += "---@return \(returns)\n" }
        return text + "function \(name)(\(names.joined(separator: ", "))) end"
    }

    /// `options?: {a: integer}` as ("options?", "{a: integer}").
    private static func split(_ parameter: String) -> (String, String) {
        guard let colon = parameter.firstIndex(of: ":") else { return (parameter, "any") }
        return (String(parameter[..<colon]), String(parameter[parameter.index(after: colon)...].drop { $0 == " " }))
    }

    private static func field(_ field: LuaField) -> String {
        "---@field \(field.name) \(field.type)" + (field.summary.isEmpty ? "" : " \(field.summary)")
    }

    private static func comment(_ text: String) -> String {
        text.isEmpty ? "" : text.split(separator: "\n", omittingEmptySubsequences: false).map { "---\($0)\n" }.joined()
    }
}
