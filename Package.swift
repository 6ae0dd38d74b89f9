// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "agency-snapshots",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "agency", targets: ["agency"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // No traits, as hummingbird-auth asks: two different trait sets for one package made SwiftPM rebuild
        // Hummingbird whenever `swift test` and `swift build`/`swift run` alternated.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // The dashboard's HTML templates (every value escaped by `{{ }}`).
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // The one HTTP client for calls out: webhooks, contact sync, and the CLI's calls to the service.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // The domain: types, rules and limits. No I/O.
        .target(
            name: "AgencyDomain",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // The wire contract: the agency API's request and reply types, shared by the server and the CLI.
        .target(name: "AgencyAPI", dependencies: ["AgencyDomain"]),
        // The schema, as numbered SQL files carried as resources.
        .target(
            name: "AgencyMigrations",
            path: "Migrations",
            resources: [.copy("sql")]
        ),
        // SQLite through GRDB: owns the database, the migrations and every SQL statement.
        .target(
            name: "AgencyStorage",
            dependencies: [
                "AgencyDomain",
                "AgencyMigrations",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for the lean reader of the busiest lists (LeanReader.swift).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // Calls on users' behalf: the one outbound HTTP client, its address policy and the egress guard.
        .target(
            name: "AgencyOutbound",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Background work of `agency serve`: webhook deliveries and contact sync, over the outbound client.
        .target(
            name: "AgencyWorkers",
            dependencies: [
                "AgencyDomain",
                "AgencyStorage",
                "AgencyOutbound",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The HTTP API: a thin layer over storage.
        .target(
            name: "AgencyHTTP",
            dependencies: [
                "AgencyAPI",
                "AgencyDomain",
                "AgencyStorage",
                "AgencyOutbound",
                "AgencyWorkers",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // The dashboard's templates and its stylesheet and script, loaded once at start.
            resources: [.copy("Dashboard/Templates"), .copy("Dashboard/Static")]
        ),
        // The `agency` command line: operator commands and an HTTP client of the service.
        .target(
            name: "AgencyCLI",
            dependencies: [
                "AgencyAPI",
                "AgencyDomain",
                "AgencyStorage",
                "AgencyHTTP",
                "AgencyOutbound",
                "AgencyWorkers",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "agency",
            dependencies: ["AgencyCLI", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]
        ),
        // The benchmark's large sandbox, shared by the benchmark and the test that checks it.
        .target(name: "AgencyBenchSupport", dependencies: ["AgencyDomain", "AgencyStorage"]),
        // Release-mode benchmarks (`make bench`); not run by CI.
        .executableTarget(
            name: "agency-bench",
            dependencies: [
                "AgencyBenchSupport", "AgencyDomain", "AgencyStorage", "AgencyHTTP", "AgencyOutbound", "AgencyWorkers",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Helpers the test targets share: temporary database files that clean up after themselves.
        .target(name: "AgencyTestSupport", dependencies: ["AgencyOutbound"], path: "Tests/AgencyTestSupport"),
        .testTarget(name: "AgencyDomainTests", dependencies: ["AgencyDomain"]),
        .testTarget(
            name: "AgencyStorageTests",
            dependencies: ["AgencyStorage", "AgencyDomain", "AgencyBenchSupport", "AgencyTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "AgencyHTTPTests",
            dependencies: [
                "AgencyAPI", "AgencyHTTP", "AgencyOutbound", "AgencyWorkers", "AgencyStorage", "AgencyDomain", "AgencyTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "AgencyCLITests",
            dependencies: [
                "AgencyAPI", "AgencyCLI", "AgencyHTTP", "AgencyOutbound", "AgencyWorkers", "AgencyStorage", "AgencyDomain", "AgencyTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
