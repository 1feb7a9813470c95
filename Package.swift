// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "ris",
    // Linux only for now (Glibc, renameat2 through CRISSystem): no Apple platform is claimed.
    products: [
        .executable(name: "ris", targets: ["ris"]),
        // `ris mcp` runs it: the MCP SDK links FoundationNetworking and libcurl (30 shared
        // libraries), which would double the start-up of every other command.
        .executable(name: "ris-mcp", targets: ["ris-mcp"]),
        .library(name: "FrontMatter", targets: ["FrontMatter"]),
        .library(name: "RISKit", targets: ["RISKit"]),
        .library(name: "RISStore", targets: ["RISStore"]),
        .library(name: "RISWorkflows", targets: ["RISWorkflows"]),
        .library(name: "RISMCP", targets: ["RISMCP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .target(name: "CRISSystem"),
        // FTS5 functions of the index (ris_snippet, ris_bm25), in C against SQLite's extension API.
        .target(name: "CRISSearch", linkerSettings: [.linkedLibrary("sqlite3"), .linkedLibrary("m")]),
        .target(
            name: "FrontMatter",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "RISKit",
            dependencies: [
                "FrontMatter", "CCmarkGFM", "CRISSystem", .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "RISStore",
            dependencies: [
                "RISKit", "CRISSearch", "CRISSystem",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // One call per use (search, show, add, hit, review, export...): the knowledge base's
        // files, its index and the access policy together; the CLI and MCP call these.
        .target(name: "RISWorkflows", dependencies: ["RISStore"]),
        // `ris mcp`: the workflows served to coding agents over the Model Context Protocol.
        .target(
            name: "RISMCP",
            dependencies: [
                "RISWorkflows", .product(name: "MCP", package: "swift-sdk"),
                // The transport's `Logger` (the SDK's `Transport` protocol names it).
                .product(name: "Logging", package: "swift-log"),
            ],
            // The SDK's HTTP transport brings FoundationNetworking, which a static Swift runtime
            // (`make release`) links with the system's libcurl (Debian `libcurl4-openssl-dev`).
            linkerSettings: [.linkedLibrary("curl", .when(platforms: [.linux]))]
        ),
        .executableTarget(
            name: "ris",
            // RISWorkflows re-exports RISStore and RISKit; listed too, so that a change of their
            // types' layout rebuilds the CLI (incremental builds do not follow re-exports).
            dependencies: [
                "RISWorkflows", "RISStore", "RISKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "ris-mcp",
            dependencies: [
                "RISMCP", "RISWorkflows", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "FrontMatterTests", dependencies: ["FrontMatter"]),
        .testTarget(name: "RISKitTests", dependencies: ["RISKit", "CCmarkGFM", "CRISSystem"]),
        .testTarget(name: "RISStoreTests", dependencies: ["RISStore"]),
        .testTarget(name: "RISWorkflowsTests", dependencies: ["RISWorkflows", "RISStore", "RISKit"]),
        .testTarget(name: "RISMCPTests", dependencies: ["RISMCP", .product(name: "MCP", package: "swift-sdk")]),
        .testTarget(name: "risTests", dependencies: ["ris", "ris-mcp"], exclude: ["Fixtures", "Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
