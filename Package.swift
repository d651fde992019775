// swift-tools-version: 6.2
import PackageDescription

/// leadsheet: enrich lead lists through Pronto's contact-enrichment API.
///
/// Modules, one per pipeline stage, dependencies pointing toward `LeadsheetCore`:
///
///     leadsheet (CLI) ─┬─ Ingest ──── LeadsheetCore
///                      ├─ Mapping ─── LeadsheetCore
///                      ├─ ProntoClient (async-http-client) ─── LeadsheetCore
///                      ├─ Simulator (Hummingbird) ─────────── LeadsheetCore
///                      └─ …
let package = Package(
  name: "leadsheet",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "leadsheet", targets: ["leadsheet"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    // Already in the graph through swift-nio-extras; its SHA256 fingerprints input files.
    .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
  ],
  targets: [
    // MARK: System libraries
    .systemLibrary(
      name: "CLibXML2", pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]),
    .systemLibrary(name: "CLeadsheetZlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
    // glibc's malloc settings (mallopt), which Swift's Glibc module does not expose.
    .target(name: "CLeadsheetMalloc"),

    // MARK: Core types (no I/O)
    .target(name: "LeadsheetCore"),
    // The system calls behind every file: EINTR and short-write loops, errno text,
    // private temporary files (no dependencies; swift-nio keeps its wrappers the same way).
    .target(name: "SystemIO"),

    // MARK: Stages
    .target(
      name: "Ingest",
      dependencies: ["LeadsheetCore", "SystemIO", "CLibXML2", "CLeadsheetZlib"]),
    .target(name: "Mapping", dependencies: ["LeadsheetCore", "SystemIO"]),
    .target(name: "JobStore", dependencies: ["LeadsheetCore", "SystemIO", "CSQLite"]),
    .target(
      name: "Runner",
      dependencies: [
        "LeadsheetCore", "Ingest", "Mapping", "JobStore", "ProntoClient", "Output", "SystemIO",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    .target(name: "Output", dependencies: ["LeadsheetCore", "SystemIO", "CLeadsheetZlib"]),
    .target(name: "Report", dependencies: ["LeadsheetCore", "JobStore"]),

    // MARK: Benchmarks
    .executableTarget(name: "OutputBench", dependencies: ["Output", "LeadsheetCore"]),
    .executableTarget(
      name: "MappingBench", dependencies: ["Ingest", "Mapping", "LeadsheetCore"]),
    .target(
      name: "ProntoClient",
      dependencies: [
        "LeadsheetCore",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]),

    // MARK: Simulator (shares the contract through LeadsheetCore, not the client)
    .target(
      name: "Simulator",
      dependencies: [
        "LeadsheetCore",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
      ]),

    // MARK: Command line
    .executableTarget(
      name: "leadsheet",
      dependencies: [
        "LeadsheetCore", "Ingest", "Mapping", "JobStore", "Runner", "Output", "ProntoClient",
        "Simulator", "Report", "SystemIO", "CLeadsheetMalloc",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]),

    // MARK: Tests
    .testTarget(name: "LeadsheetCoreTests", dependencies: ["LeadsheetCore"]),
    .testTarget(name: "SystemIOTests", dependencies: ["SystemIO"]),
    .testTarget(
      name: "IngestTests", dependencies: ["Ingest", "LeadsheetCore"],
      resources: [.copy("Fixtures")]),
    .testTarget(name: "MappingTests", dependencies: ["Mapping", "LeadsheetCore"]),
    .testTarget(
      name: "JobStoreTests", dependencies: ["JobStore", "LeadsheetCore"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "RunnerTests",
      dependencies: ["Runner", "LeadsheetCore", "JobStore", "Mapping", "Ingest", "ProntoClient"]),
    .testTarget(name: "OutputTests", dependencies: ["Output", "LeadsheetCore"]),
    .testTarget(name: "RoundTripTests", dependencies: ["Ingest", "Output", "LeadsheetCore"]),
    .testTarget(
      name: "ReportTests",
      dependencies: [
        "Report", "JobStore", "LeadsheetCore", "ProntoClient", "Simulator",
        .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(
      name: "APITests",
      dependencies: [
        "ProntoClient", "Simulator", "LeadsheetCore",
        .product(name: "Logging", package: "swift-log"),
      ]),
    // Runs the built `leadsheet` binary (and `leadsheet simulate`) as child processes:
    // no module dependency, the binary is found next to the test bundle.
    .testTarget(name: "EndToEndTests"),
  ],
  swiftLanguageModes: [.v6]
)
