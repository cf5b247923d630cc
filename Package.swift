// swift-tools-version:6.0
import PackageDescription

// Concrete generic types get their metadata from accessor functions rather than from mangled
// names: the runtime resolves a mangled name's protocol requirements by scanning every
// conformance record, and the static executable's (Foundation's included) are many: a third of
// `pagelab jvm`'s startup went into those scans.
let directMetadataAccess: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"]),
]

// Layering is one-way (DESIGN §1):
//   pagelab → PageLabLua → { LuaBridge → CLuaShim → CLua,  PageJVM → PageCore → CPageSys,  PageSafepoint → PageCore }
let package = Package(
    name: "PageLab",
    products: [
        .executable(name: "pagelab", targets: ["pagelab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", .upToNextMinor(from: "0.2.0")),
    ],
    targets: [
        .systemLibrary(
            name: "CLua",
            path: "Sources/CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        .systemLibrary(
            name: "CEdit",
            path: "Sources/CEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .target(name: "CLuaShim", dependencies: ["CLua"], path: "Sources/CLuaShim"),
        .target(name: "CPageSys", path: "Sources/CPageSys", linkerSettings: [.linkedLibrary("pthread")]),
        .target(name: "PageCore", dependencies: ["CPageSys"], swiftSettings: directMetadataAccess),
        .target(name: "PageJVM", dependencies: ["PageCore"], swiftSettings: directMetadataAccess),
        .target(name: "LuaBridge", dependencies: ["CLuaShim", "CLua", "CEdit"]),
        .target(
            name: "PageSafepoint",
            dependencies: ["PageCore", "CPageSys", .product(name: "Histogram", package: "hdrhistogram-swift")]),
        .target(name: "PageLabLua", dependencies: ["LuaBridge", "PageCore", "PageJVM", "PageSafepoint"], swiftSettings: directMetadataAccess),
        .executableTarget(
            name: "pagelab",
            dependencies: [
                "PageLabLua",
                "PageJVM",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: directMetadataAccess,
            // Release builds are one static executable: without the dynamic loader's relocations
            // and its loading of seven shared libraries, `pagelab jvm` starts in half the time
            // (issue 3 wants it under a tenth of `java -version`). libedit's own dependencies
            // must then be named, as a static library does not bring them.
            linkerSettings: [
                .unsafeFlags(["-static-executable"], .when(configuration: .release)),
                .linkedLibrary("tinfo", .when(configuration: .release)),
                .linkedLibrary("bsd", .when(configuration: .release)),
                .linkedLibrary("md", .when(configuration: .release)),
            ]
        ),
        // The baselines of scripts/bench, and the program that runs them beside PageLab.
        .target(name: "CBaseline", dependencies: ["CLua"], path: "Sources/CBaseline", linkerSettings: [.linkedLibrary("pthread")]),
        .executableTarget(name: "pagelab-bench", dependencies: ["PageLabLua", "PageCore", "LuaBridge", "CBaseline", "CLua"]),
        .testTarget(name: "PageCoreTests", dependencies: ["PageCore", "CPageSys"]),
        .testTarget(name: "PageJVMTests", dependencies: ["PageJVM", "PageCore"], exclude: ["Fixtures"]),
        .testTarget(name: "LuaBridgeTests", dependencies: ["LuaBridge", "CLuaShim"]),
        .testTarget(name: "PageLabLuaTests", dependencies: ["PageLabLua", "PageCore", "LuaBridge", "PageSafepoint"]),
        .testTarget(name: "PageSafepointTests", dependencies: ["PageSafepoint", "PageCore", "CPageSys"]),
        .testTarget(name: "EndToEndTests", dependencies: ["pagelab"], exclude: ["Fixtures"]),
    ]
)
