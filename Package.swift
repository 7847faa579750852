// swift-tools-version:6.2
import PackageDescription

/// Settings every first-party target shares: Swift 6 mode is the package default; these add the
/// upcoming features the house style asks for and make any warning in our own code a build error.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]

/// NIO's event loops: what every module that does I/O or keeps time on them depends on.
let eventLoopDependencies: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
]

/// How the service binary is linked on Linux, for a smaller resident set (docs/PERFORMANCE.md § Memory). The Swift
/// toolchain's LLD packs the PIE's relative relocations (`DT_RELR`, glibc ≥ 2.36): the loader reads a few KiB at
/// start instead of 3 MiB of `RELA` entries. `--no-export-dynamic` undoes the `-export-dynamic` that the static
/// Swift runtime's link arguments add, so the dynamic symbol table (and the loader's lookups in it) holds only what
/// the binary imports; nothing resolves our own symbols through `dlsym`.
let residentSizeLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(
        [
            "-use-ld=lld",
            "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
            "-Xlinker", "--no-export-dynamic",
        ],
        .when(platforms: [.linux])
    )
]

let package = Package(
    name: "goapi-bridge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "goapi-bridge", targets: ["goapi-bridge"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        .target(
            name: "IRC",
            dependencies: [
                "Common",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ] + eventLoopDependencies,
            swiftSettings: strictSettings
        ),
        .target(
            name: "Timers",
            dependencies: eventLoopDependencies,
            swiftSettings: strictSettings
        ),
        .target(
            name: "Common",
            dependencies: [.product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "GoAPI",
            dependencies: [
                "Common",
                "Timers",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Store",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ] + eventLoopDependencies,
            swiftSettings: strictSettings
        ),
        .target(
            name: "Webhooks",
            dependencies: [
                "Common",
                "Timers",
                "Store",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Bridge",
            dependencies: [
                "Common",
                "Timers",
                "GoAPI",
                "IRC",
                "Store",
                "Webhooks",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CHeapShims"
        ),
        .target(
            name: "CConcurrencyHook"
        ),
        .target(
            name: "EventLoopExecutor",
            dependencies: [
                "CConcurrencyHook"
            ] + eventLoopDependencies,
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "goapi-bridge",
            dependencies: [
                "CHeapShims",
                "Common",
                "EventLoopExecutor",
                "Bridge",
                "GoAPI",
                "IRC",
                "Store",
                "Webhooks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings,
            linkerSettings: residentSizeLinkerSettings
        ),
        .target(
            name: "BridgeTesting",
            dependencies: [
                "Common",
                "GoAPI",
                "IRC",
                "Store",
                "Webhooks",
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ] + eventLoopDependencies,
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "goapi-bridge-bench",
            dependencies: [
                "EventLoopExecutor",
                "GoAPI",
                "IRC",
                "BridgeTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ] + eventLoopDependencies,
            path: "Benchmarks/goapi-bridge-bench",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TimersTests",
            dependencies: ["Timers"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GoAPITests",
            dependencies: [
                "GoAPI",
                "BridgeTesting",
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "IRCTests",
            dependencies: [
                "IRC",
                "BridgeTesting",
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WebhooksTests",
            dependencies: [
                "Common",
                "Webhooks",
                "BridgeTesting",
                "Store",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BridgeTests",
            dependencies: [
                "Bridge",
                "BridgeTesting",
                "GoAPI",
                "IRC",
                "Store",
                "Webhooks",
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "BridgeTesting",
                "Store",
                "Webhooks",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: ["Store", "BridgeTesting", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "goapi-bridgeTests",
            dependencies: [
                "goapi-bridge",
                "CHeapShims",
                "BridgeTesting",
                "Store",
                "Webhooks",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
