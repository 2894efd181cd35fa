// swift-tools-version: 6.1
import PackageDescription

/// One settings block for every target: Swift 6 strict concurrency plus the upcoming features that
/// keep dependencies explicit.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "crossdock",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "crossdock", targets: ["crossdock"]),
        .library(name: "Kafka", targets: ["Kafka"]),
        .library(name: "Model", targets: ["Model"]),
        // The pure pipeline (model, master data, formats, adapters) and the allocator settings the
        // executable starts with, for the Benchmarks package.
        .library(name: "CrossdockPipeline", targets: ["Model", "MasterData", "Formats", "Normalize", "CAllocator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        // librdkafka through pkg-config; scripts/setup makes sure a librdkafka >= 2.3 is installed.
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"]), .brew(["librdkafka"])]
        ),
        // What the C allocator holds (heap in use and free), and handing free pages back.
        .target(name: "CAllocator"),
        // Producer, consumer and admin over librdkafka: the only place that calls rd_kafka_*.
        .target(
            name: "Kafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The canonical inventory model: events, envelope, shared types, diagnostics, state machine.
        .target(name: "Model", dependencies: ["CSHA1"], swiftSettings: swiftSettings),
        // SHA-1 compression for name-based event ids, with the processor's SHA extensions where present.
        .target(name: "CSHA1"),
        // Locations, items, units of measure, partner profiles, GS1 keys.
        .target(
            name: "MasterData",
            dependencies: ["Model", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // Tokenizers and readers for X12, EDIFACT, GS1 element strings and the JSON inputs: syntax only.
        .target(
            name: "Formats", dependencies: ["Model"],
            // The dictionary is compiled in (GS1SyntaxDictionaryText.swift, scripts/embed-gs1-dictionary):
            // an executable copied alone has it.
            exclude: ["GS1/Resources"],
            swiftSettings: swiftSettings),
        // One adapter per input kind: parsed document + partner profile + master data -> events or rejection.
        .target(name: "Normalize", dependencies: ["Model", "MasterData", "Formats"], swiftSettings: swiftSettings),
        // Receipt reconciliation: ship notices, scans and carrier statuses joined per shipment; pure stores.
        .target(name: "Reconcile", dependencies: ["Model", "MasterData"], swiftSettings: swiftSettings),
        // The running service: topics, routing, offsets, dead-lettering.
        .target(
            name: "Hub",
            dependencies: [
                "Kafka", "Normalize", "Model", "MasterData", "Reconcile", "CAllocator", .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The command-line interface as a library so tests can drive it.
        .target(
            name: "CrossdockCLI",
            dependencies: [
                "Kafka", "Hub", "Model", "MasterData", "Formats", "Normalize", "Reconcile",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "crossdock",
            dependencies: ["CrossdockCLI", "CAllocator", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),

        // Paths and the schema validator shared by the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ModelTests", dependencies: ["Model", "CSHA1", "TestSupport"], exclude: ["Golden"], swiftSettings: swiftSettings),
        .testTarget(
            name: "NormalizeTests", dependencies: ["Normalize", "MasterData", "Formats", "Model", "TestSupport"],
            exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "FormatsTests", dependencies: ["Formats", "Model", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HubTests",
            dependencies: [
                "CAllocator", "CrossdockCLI", "Hub", "Kafka", "MasterData", "Model", "Normalize", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ReconcileTests", dependencies: ["Reconcile", "MasterData", "Model", "Normalize", "Hub", "Kafka", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(name: "MasterDataTests", dependencies: ["MasterData", "Model"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CrossdockCLITests",
            dependencies: [
                "CrossdockCLI", "Hub", "Kafka", "Model", "TestSupport",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
