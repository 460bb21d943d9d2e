// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "newsmill",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "newsmill", targets: ["NewsmillTool"]),
        .library(name: "Newsmill", targets: ["Newsmill"]),
        // The command line as a library: a package that registers its own stages calls
        // `NewsmillCommand.main(registry:)` from its own executable.
        .library(name: "NewsmillCLI", targets: ["NewsmillCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "Newsmill",
            dependencies: [
                "CZlib",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "NewsmillCLI",
            dependencies: [
                "Newsmill",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "NewsmillTool", dependencies: ["Newsmill", "NewsmillCLI"]),
        .testTarget(
            name: "NewsmillTests",
            dependencies: ["Newsmill", "NewsmillCLI"],
            resources: [.copy("Fixtures")]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
