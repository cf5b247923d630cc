import LuaBridge
import PageCore
import XCTest
@testable import PageLabLua

/// `pagelab meta` against the live Lua state: every function scripts can reach is defined, and
/// the definitions are Lua that LuaLS's annotation grammar accepts.
final class MetaDefinitionsTests: XCTestCase {
    func makeWorkbench() throws -> Workbench { try Workbench(budget: CommitBudget(limit: 0)) }

    /// Every function of every `pagelab*` module in package.loaded and every method of every
    /// handle metatable in the registry, read from Lua itself, appears in its class's section.
    func testEveryRegisteredFunctionAndMethodIsDefined() throws {
        let bench = try makeWorkbench()
        let sections = Self.sections(MetaDefinitions.file(bench.vm.catalog))
        let live = try bench.vm.run("""
            local found = {}
            for name, module in pairs(package.loaded) do
              if (name == "pagelab" or name:match("^pagelab%.")) and type(module) == "table" then
                for key, value in pairs(module) do
                  if type(value) == "function" then found[#found + 1] = "module " .. name .. " " .. key end
                end
              end
            end
            for key, value in pairs(debug.getregistry()) do
              if type(key) == "string" and type(value) == "table" and type(rawget(value, "__methods")) == "table" then
                for method in pairs(rawget(value, "__methods")) do found[#found + 1] = "handle " .. key .. " " .. method end
              end
            end
            return table.concat(found, "\\n")
            """)[0].stringValue ?? ""
        let entries = live.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertGreaterThan(entries.count, 60, "the walk found too little to mean anything: \(entries)")
        for modules in ["pagelab", "pagelab.numa", "pagelab.jvm", "pagelab.tlb", "pagelab.safepoint"] {
            XCTAssertTrue(entries.contains { $0[1] == modules }, "\(modules) not found in package.loaded")
        }
        for entry in entries {
            let (kind, owner, name) = (entry[0], entry[1], entry[2])
            if kind == "module" {
                let section = try XCTUnwrap(sections[owner], "module \(owner) has no ---@class section")
                XCTAssertTrue(section.contains(".\(name)("), "\(owner).\(name) is registered but missing from pagelab meta")
            } else {
                let handle = try XCTUnwrap(bench.vm.catalog.classes.first { $0.metatable == owner }, "handle type \(owner) is not in the catalog")
                let section = try XCTUnwrap(sections[handle.className], "\(handle.className) has no ---@class section")
                XCTAssertTrue(section.contains(":\(name)("), "\(owner):\(name) is registered but missing from pagelab meta")
            }
        }
        for handle in ["region", "space", "jvm"] {
            XCTAssertTrue(entries.contains { $0[0] == "handle" && $0[1] == handle }, "no \(handle) metatable found")
        }
    }

    func testReserveIsAnnotatedExactly() throws {
        let text = MetaDefinitions.file(try makeWorkbench().vm.catalog)
        let expected = """
            ---Reserves address space: PROT_NONE, MAP_NORESERVE; `at` uses MAP_FIXED_NOREPLACE, `align` over-reserves and trims; `hugetlb` maps pool pages of that size.
            ---@param size integer|string
            ---@param options? {name?: string, at?: integer, align?: integer|string, exec?: boolean, hugetlb?: integer|string}
            ---@return pagelab.Region
            function pl.reserve(size, options) end
            """
        XCTAssertTrue(text.contains(expected), "pl.reserve's block differs:\n\(text.components(separatedBy: "\n\n").first { $0.contains("pl.reserve(") } ?? "(absent)")")
        XCTAssertTrue(text.contains("---@class pagelab.Region\n---@field backend \"host\"|\"model\" Where the region's memory lives.\n"))
        XCTAssertTrue(text.contains("---@param offset? integer|string\n---@param length? integer|string\n---@return pagelab.Op\nfunction Region:commit(offset, length) end"))
        XCTAssertTrue(text.contains("---@class pagelab\npl = {}"), "the pagelab module is the global pl")
    }

    /// A class named in a type (`pagelab.Stats`) but declared nowhere would be `any` to LuaLS.
    func testEveryNamedClassIsDeclared() throws {
        let text = MetaDefinitions.file(try makeWorkbench().vm.catalog)
        let declared = Set(text.split(separator: "\n").filter { $0.hasPrefix("---@class ") }.map { String($0.dropFirst(10)) })
        XCTAssertTrue(declared.isSuperset(of: ["pagelab.Stats", "pagelab.Scenario", "pagelab.Param", "pagelab.Region", "pagelab.JVM"]))
        let used = try NSRegularExpression(pattern: "pagelab\\.[A-Za-z_.]+")
        for line in text.split(separator: "\n") where line.hasPrefix("---@param") || line.hasPrefix("---@return") || line.hasPrefix("---@field") {
            let string = String(line)
            for match in used.matches(in: string, range: NSRange(string.startIndex..., in: string)) {
                let name = String(string[Range(match.range, in: string)!])
                XCTAssertTrue(declared.contains(name), "\(name) is used in `\(line)` but declared nowhere")
            }
        }
    }

    func testDefinitionsAreLuaInLuaLSAnnotationGrammar() throws {
        let catalog = try makeWorkbench().vm.catalog
        let single = MetaDefinitions.file(catalog)
        let files = MetaDefinitions.files(catalog)
        XCTAssertEqual(files.map(\.path), ["pagelab.lua", "pagelab/jvm.lua", "pagelab/numa.lua", "pagelab/safepoint.lua", "pagelab/tlb.lua"])
        XCTAssertTrue(files[1].text.hasSuffix("\nreturn jvm\n"))
        let vm = try LuaVM()
        for (name, text) in [("single", single)] + files.map({ ($0.path, $0.text) }) {
            XCTAssertNoThrow(try vm.load(text, chunkName: "=\(name)"), "\(name) does not compile as Lua")
            XCTAssertTrue(text.hasPrefix("---@meta\n"), name)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.hasPrefix("---@") {
                XCTAssertNil(LuaLSAnnotation.problem(String(line)), "\(name):\(number + 1): \(line)")
            }
        }
        XCTAssertEqual(LuaLSAnnotation.problem("---@param options? {a: integer"), "unclosed {")
        XCTAssertNotNil(LuaLSAnnotation.problem("---@param options {string..., jdk?: integer}"))
        XCTAssertNotNil(LuaLSAnnotation.problem("---@return"))
    }

    /// Splits definitions at each `---@class NAME` line: name to the text up to the next one.
    static func sections(_ text: String) -> [String: String] {
        var sections: [String: String] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("---@class ") {
                current = String(line.dropFirst(10))
                sections[current!] = ""
            } else if let current {
                sections[current]! += line + "\n"
            }
        }
        return sections
    }
}

/// The parts of LuaLS's annotation grammar the definitions use: `@meta`, `@class NAME`,
/// `@field NAME TYPE [text]`, `@param NAME[?] TYPE`, `@return TYPE`, with types made of names,
/// string literals, `T[]`, `T?`, unions, `(T)`, `table<K, V>`, `{a: T, b?: T, [K]: V}` and
/// `fun(a: T): R`.
enum LuaLSAnnotation {
    /// nil when the line is well formed, or what is wrong with it.
    static func problem(_ line: String) -> String? {
        let words = line.split(separator: " ", maxSplits: 1).map(String.init)
        var parser = TypeParser(text: words.count > 1 ? words[1] : "")
        switch words[0] {
        case "---@meta": return words.count == 1 ? nil : "text after @meta"
        case "---@class":
            return parser.name() != nil && parser.atEnd ? nil : "@class takes one name"
        case "---@field", "---@param":
            guard parser.identifier() != nil else { return "no name" }
            _ = parser.take("?")
            guard parser.take(" ") else { return "no type" }
            if let problem = parser.type() { return problem }
            return parser.atEnd || (words[0] == "---@field" && parser.take(" ")) ? nil : "text after the type"
        case "---@return":
            if let problem = parser.type() { return problem }
            return parser.atEnd ? nil : "text after the type"
        default: return "unknown annotation \(words[0])"
        }
    }

    struct TypeParser {
        let characters: [Character]
        var position = 0

        init(text: String) { characters = Array(text) }

        var atEnd: Bool { position == characters.count }
        var next: Character? { atEnd ? nil : characters[position] }

        mutating func take(_ text: String) -> Bool {
            let wanted = Array(text)
            guard characters.count - position >= wanted.count, Array(characters[position..<position + wanted.count]) == wanted else { return false }
            position += wanted.count
            return true
        }

        mutating func skipSpaces() { while next == " " { position += 1 } }

        mutating func identifier() -> String? {
            guard let first = next, first.isLetter || first == "_" else { return nil }
            var word = ""
            while let character = next, character.isLetter || character.isNumber || character == "_" {
                word.append(character)
                position += 1
            }
            return word
        }

        mutating func name() -> String? {
            guard var name = identifier() else { return nil }
            while next == ".", position + 1 < characters.count, characters[position + 1].isLetter {
                position += 1
                name += "." + identifier()!
            }
            return name
        }

        /// A union of members; nil on success.
        mutating func type() -> String? {
            while true {
                skipSpaces()
                if let problem = member() { return problem }
                let end = position
                skipSpaces()
                if !take("|") {
                    position = end
                    return nil
                }
            }
        }

        mutating func member() -> String? {
            if let problem = primary() { return problem }
            while take("[]") {}
            _ = take("?")
            return nil
        }

        mutating func primary() -> String? {
            if take("(") {
                if let problem = type() { return problem }
                return take(")") ? nil : "unclosed ("
            }
            if take("\"") {
                while let character = next, character != "\"" { position += 1 }
                return take("\"") ? nil : "unclosed string"
            }
            if take("{") { return fields() }
            if take("table<") {
                if let problem = type() { return problem }
                guard take(",") else { return "table<K, V> needs two types" }
                if let problem = type() { return problem }
                return take(">") ? nil : "unclosed table<"
            }
            if take("fun(") {
                if let problem = parameters() { return problem }
                if take(":") { return type() }
                return nil
            }
            return name() == nil ? "a type expected at \(position)" : nil
        }

        mutating func fields() -> String? {
            skipSpaces()
            if take("}") { return nil }
            repeat {
                skipSpaces()
                if take("[") {
                    if let problem = type() { return problem }
                    guard take("]") else { return "unclosed [" }
                } else {
                    guard identifier() != nil else { return "a field name expected at \(position)" }
                    _ = take("?")
                }
                guard take(":") else { return "':' expected at \(position)" }
                if let problem = type() { return problem }
            } while take(",")
            return take("}") ? nil : "unclosed {"
        }

        mutating func parameters() -> String? {
            if take(")") { return nil }
            repeat {
                skipSpaces()
                guard identifier() != nil else { return "a parameter name expected at \(position)" }
                _ = take("?")
                guard take(":") else { return "':' expected at \(position)" }
                if let problem = type() { return problem }
            } while take(",")
            return take(")") ? nil : "unclosed fun("
        }
    }
}
