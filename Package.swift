// swift-tools-version: 6.2
import PackageDescription

/// leadsheet: enrich lead lists through Pronto's contact-enrichment API.
///
/// Modules, one per pipeline stage, dependencies pointing toward `LeadsheetCore`:
///
///     leadsheet (CLI) ─┬─ Ingest ──── LeadsheetCore
///                      ├─ Mapping ─── LeadsheetCore
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
  ],
  targets: [
    // MARK: System libraries
    .systemLibrary(
      name: "CLibXML2", pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]),
    .systemLibrary(name: "CLeadsheetZlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),

    // MARK: Core types (no I/O)
    .target(name: "LeadsheetCore"),

    // MARK: Stages
    .target(
      name: "Ingest",
      dependencies: ["LeadsheetCore", "CLibXML2", "CLeadsheetZlib"]),
    .target(name: "Mapping", dependencies: ["LeadsheetCore"]),
    .target(name: "JobStore", dependencies: ["LeadsheetCore", "CSQLite"]),
    .target(
      name: "Runner",
      dependencies: ["LeadsheetCore", "Ingest", "Mapping", "JobStore"]),
    .target(name: "Output", dependencies: ["LeadsheetCore", "CLeadsheetZlib"]),

    // MARK: Benchmarks
    .executableTarget(name: "OutputBench", dependencies: ["Output", "LeadsheetCore"]),

    // MARK: Command line
    .executableTarget(
      name: "leadsheet",
      dependencies: [
        "LeadsheetCore", "Ingest", "Mapping", "JobStore", "Runner",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]),

    // MARK: Tests
    .testTarget(name: "LeadsheetCoreTests", dependencies: ["LeadsheetCore"]),
    .testTarget(
      name: "IngestTests", dependencies: ["Ingest", "LeadsheetCore"],
      resources: [.copy("Fixtures")]),
    .testTarget(name: "MappingTests", dependencies: ["Mapping", "LeadsheetCore"]),
    .testTarget(
      name: "JobStoreTests", dependencies: ["JobStore", "LeadsheetCore"],
      resources: [.copy("Fixtures")]),
    .testTarget(name: "RunnerTests", dependencies: ["Runner", "LeadsheetCore"]),
    .testTarget(name: "OutputTests", dependencies: ["Output", "LeadsheetCore"]),
  ],
  swiftLanguageModes: [.v6]
)
