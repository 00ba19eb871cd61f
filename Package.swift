// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "dwh",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dwh", targets: ["dwh"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries: each is imported by exactly one Swift module.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CLibEdit", pkgConfig: "libedit",
                       providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),

        // Swift wrappers over the C libraries.
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        .target(name: "LineEditor", dependencies: ["CLibEdit"]),
        .target(name: "Curl", dependencies: ["CCurl"]),
        .target(name: "Digest", dependencies: ["CLibCrypto"]),

        // Everything dwh does. Its Resources/ (and the project `dwh init` writes) are built
        // into the binary by the EmbedResources plugin: there is no bundle to find at run time.
        .target(
            name: "DWHCore",
            dependencies: ["Postgres", "LineEditor", "Curl", "Digest"],
            exclude: ["Resources"],
            plugins: ["EmbedResources"]
        ),
        .plugin(name: "EmbedResources", capability: .buildTool()),

        // The thin command line, stamped on every build with the commit it is built from.
        .executableTarget(
            name: "dwh",
            dependencies: [
                "DWHCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["BuildStamp"]
        ),
        .plugin(name: "BuildStamp", capability: .buildTool()),

        // `make install`: the man page, written from `dwh --experimental-dump-help`.
        .executableTarget(name: "dwh-manual"),

        // `make bench`: the parsing micro-benchmark and the psql reference's COPY text.
        .executableTarget(name: "dwh-bench", dependencies: ["DWHCore"], path: "bench/ParseBench"),
        // `make bench-rsload`: the incremental Redshift load on its PostgreSQL rendering and moto.
        .executableTarget(name: "dwh-rsload-bench", dependencies: ["DWHCore", "Postgres", "RedshiftEmulation"],
                          path: "bench/RSLoadBench"),

        // `make fuzz`: the libFuzzer harness (built with -sanitize=fuzzer,address -DDWH_FUZZING).
        .executableTarget(name: "dwh-fuzz", dependencies: ["DWHCore"], path: "fuzz/Harness"),

        .testTarget(name: "DWHCoreTests", dependencies: ["DWHCore", "Curl", "Digest", "TestSupport"]),
        .target(name: "TestSupport", dependencies: ["DWHCore", "Postgres"], path: "Tests/TestSupport"),
        // Redshift on PostgreSQL (the rewrite, and COPY from S3 read back from moto), for the
        // tests and the Redshift load's benchmark: no XCTest in it.
        .target(name: "RedshiftEmulation", dependencies: ["DWHCore", "Postgres"], path: "Tests/RedshiftEmulation"),
        .testTarget(name: "LiveTests", dependencies: ["DWHCore", "Postgres", "TestSupport", "RedshiftEmulation"]),
        .testTarget(name: "DWHCLITests", dependencies: ["DWHCore", "TestSupport", "RedshiftEmulation"]),
    ]
)
