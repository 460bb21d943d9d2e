// swift-tools-version:6.1
// Micro-benchmarks for newsmill (ordo-one/benchmark). A nested package, so the main
// build and `make test` never compile the benchmark framework:
//
//     swift package --package-path Benchmarks benchmark
//     BENCH_MICRO=1 make bench
import PackageDescription

let package = Package(
    name: "newsmill-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named: a path dependency is otherwise known by its folder name (main, wt-bench, ...).
        .package(name: "newsmill", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "NewsmillBenchmarks",
            dependencies: [
                .product(name: "Newsmill", package: "newsmill"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/NewsmillBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        )
    ]
)
