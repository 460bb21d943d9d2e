// swift-tools-version:6.1
// A standalone package (never built by `make test`): segment throughput and UD evaluation.
//   swift run -c release --package-path Benchmarks/segment-throughput segment-bench throughput
//   swift run -c release --package-path Benchmarks/segment-throughput segment-bench ud [FILE.conllu ...]
import PackageDescription

let package = Package(
    name: "segment-throughput",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "segment-bench", targets: ["SegmentBench"])],
    dependencies: [.package(name: "newsmill", path: "../..")],
    targets: [
        .executableTarget(
            name: "SegmentBench",
            dependencies: [.product(name: "Newsmill", package: "newsmill")],
            path: "Sources/SegmentBench"
        )
    ]
)
