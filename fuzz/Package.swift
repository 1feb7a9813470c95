// swift-tools-version:6.1
// libFuzzer targets for the parsers. Built by `make fuzz` with -sanitize=fuzzer,address;
// kept out of the main package so that `swift build` there never needs the fuzzer runtime.
import PackageDescription

let package = Package(
    name: "ris-fuzz",
    dependencies: [.package(name: "ris", path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(
            name: "FuzzFrontMatter",
            dependencies: ["FuzzSupport", .product(name: "FrontMatter", package: "ris")]
        ),
        .executableTarget(
            name: "FuzzDocument",
            dependencies: ["FuzzSupport", .product(name: "RISKit", package: "ris")]
        ),
        .executableTarget(
            name: "FuzzLogSignature",
            dependencies: ["FuzzSupport", .product(name: "RISKit", package: "ris")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
