// swift-tools-version: 6.1
import PackageDescription

import class Foundation.ProcessInfo
import struct Foundation.URL

// A path dependency is named after its folder, whatever the clone is called.
let crossdock = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

// In-process benchmarks, kept out of the main package so its build stays lean.
// Run: cd Benchmarks && swift package benchmark
let package = Package(
    name: "crossdock-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Scans",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CrossdockPipeline", package: crossdock),
            ],
            path: "Benchmarks/Scans",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ShipNotices",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CrossdockPipeline", package: crossdock),
            ],
            path: "Benchmarks/ShipNotices",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
