// swift-tools-version:6.1
// Throughput of the normalize stage, release mode. Not part of the main build:
//   cd Benchmarks/normalize-throughput && swift run -c release normalize-throughput [DOCS_DIR]
import PackageDescription

let package = Package(
    name: "normalize-throughput",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "newsmill", path: "../..")],
    targets: [
        .executableTarget(
            name: "NormalizeThroughput",
            dependencies: [.product(name: "Newsmill", package: "newsmill")],
            path: "Sources/NormalizeThroughput"
        )
    ]
)
