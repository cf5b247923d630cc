import LuaBridge
import XCTest

final class Resource {
    /// Names released so far, in order; the tests of this class run one at a time.
    nonisolated(unsafe) static var released: [String] = []
    let name: String
    init(_ name: String) { self.name = name }
}

final class HandleTests: XCTestCase {
    let type = LuaHandleType<Resource>(
        name: "resource", className: "res.Resource", summary: "a test resource",
        methods: [LuaMethod("greet", parameters: ["whom: string"], returns: "string", summary: "a greeting") { resource, call in
            call.push("hello \(try call.string(2)) from \(resource.name)")
            return 1
        }],
        properties: [LuaProperty("name", type: "string", summary: "its name") { resource, call in call.push(resource.name) }],
        describe: { "resource '\($0.name)'" },
        release: { Resource.released.append($0.name) })

    func makeVM() throws -> LuaVM {
        let vm = try LuaVM()
        type.register(in: vm)
        vm.registerModule("res", functions: [
            LuaFunction("open", summary: "opens a resource") { [type] call in
                type.push(Resource(try call.string(1)), on: call)
                return 1
            },
        ], global: "res")
        Resource.released = []
        return vm
    }

    func testLifecycleCloseIsIdempotentAndSharedByGcAndClose() throws {
        let vm = try makeVM()
        let results = try vm.run("""
            local a = res.open("a")
            local name, greeting, text = a.name, a:greet("bob"), tostring(a)
            a:close(); a:close()
            do local b <close> = res.open("b") end
            local ok, err = pcall(a.greet, a, "x")
            res.open("c")
            return name, greeting, text, tostring(a), err, getmetatable(a)
            """, chunkName: "=t")
        XCTAssertEqual(results, [
            .string("a"), .string("hello bob from a"), .string("resource 'a'"), .string("resource (closed)"),
            .string("attempt to use a closed resource"), .string("resource"),
        ])
        vm.collectGarbage()
        XCTAssertEqual(Resource.released, ["a", "b", "c"])
    }

    func testTypeErrorsNameTheHandleType() throws {
        let vm = try makeVM()
        XCTAssertThrowsError(try vm.run("local a = res.open('a'); a.greet({}, 'x')", chunkName: "=t")) { error in
            XCTAssertEqual((error as? LuaScriptError)?.message, "t:1: bad argument #1 to 'greet' (resource expected, got table)")
        }
        XCTAssertThrowsError(try vm.run("local a = res.open('a'); a:greet(1 > 0)", chunkName: "=t")) { error in
            XCTAssertEqual((error as? LuaScriptError)?.message, "t:1: bad argument #1 to 'greet' (string expected, got boolean)")
        }
        XCTAssertThrowsError(try vm.run("setmetatable(res.open('a'), {})", chunkName: "=t"))
    }

    func testHandlesStillOpenAtCloseAreReleased() throws {
        do {
            let vm = try makeVM()
            try vm.run("keep = res.open('kept'); res.open('dropped')")
        }
        XCTAssertEqual(Set(Resource.released), ["kept", "dropped"])
    }
}
