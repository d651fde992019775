import Foundation
import Ingest
import JobStore
import LeadsheetCore
import Mapping
import Testing

@testable import Runner

/// `JobBuilder` (rows planned and encoded on one thread, stored on another, duplicates
/// found in memory) against an oracle: the same list planned row by row with
/// `RowPlanner` and de-duplicated by `EnrichRequest.contactKey` strings.
@Suite struct JobBuilderTests {
  /// A messy list: international names, duplicates written differently (case, spaces,
  /// URL forms), invalid rows, quoted notes with doubled quotes and line breaks.
  static func messyList(rows: Int, seed: UInt64) -> String {
    var rng = Seeded(seed)
    let first = ["Léa", "  lea ", "李", "Алексей", "مريم", "Ελένη", "Søren", "O'Brien", "", "José"]
    let last = ["Brun-Picard", "BRUN-PICARD", "王", "Иванов", "حداد", "Παπαδοπούλου", "Ærø", ""]
    let company = ["Acme", "acme ", "Nordwind GmbH", "株式会社テスト", "Brightpath, Inc."]
    let site = [
      "https://www.acme.example/", "acme.example", "http://ACME.example/path", "", "not a url",
    ]
    var text = "First Name,Last Name,Company,Website,LinkedIn URL,Notes,Email\n"
    func quoted(_ s: String) -> String {
      "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    for i in 0..<rows {
      let n = rng.next() % 40  // few distinct people: many duplicates
      let url = [
        "https://www.linkedin.com/in/p\(n)", "linkedin.com/in/p\(n)/",
        "HTTPS://LINKEDIN.COM/in/p\(n)?x=1",
        "",
      ][Int(rng.next() % 4)]
      let note = i % 5 == 0 ? "said \"call me\"\nnext week" : "n\(i)"
      let email = i % 7 == 0 ? "has@acme.example" : ""
      text +=
        [
          quoted(first[Int(n % 10)]), quoted(last[Int(rng.next() % 8)]),
          quoted(company[Int(n % 5)]),
          quoted(site[Int(rng.next() % 5)]), url, quoted(note), email,
        ].joined(separator: ",") + "\n"
    }
    return text
  }

  static func write(_ text: String) throws -> (folder: URL, csv: String) {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("jobbuilder-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let csv = folder.appendingPathComponent("leads.csv").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: csv))
    return (folder, csv)
  }

  /// What each row should become: its status text and the index of the first row with its contact.
  static func oracle(csv: String, options: JobOptions) throws -> [String] {
    let table = try SourceOpener.openTable(path: csv, options: options.ingestOptions())
    let mappingOptions = try options.mappingOptions()
    let planner = RowPlanner(
      mapping: try ColumnMapping.resolve(header: table.header, options: mappingOptions),
      options: mappingOptions)
    let onlyMissing = options.onlyMissing.flatMap { name in table.header.firstIndex(of: name) }
    var firstRow: [String: Int] = [:]
    var result: [String] = []
    var index = 0
    while let row = try table.next() {
      if let c = onlyMissing, !row.cells[c].isBlank {
        result.append("\(row.number) \(row.cells.map(\.text)) skipped")
      } else {
        switch planner.plan(row.cells) {
        case .send(let request, _, _):
          let first = firstRow[request.contactKey] ?? index
          firstRow[request.contactKey] = first
          result.append("\(row.number) \(row.cells.map(\.text)) \(request) @\(first)")
        case .invalid(let reason, _):
          result.append("\(row.number) \(row.cells.map(\.text)) invalid \(reason.code)")
        }
      }
      index += 1
    }
    return result
  }

  /// The same description of each stored row.
  static func stored(_ store: JobStore, _ job: JobID) throws -> [String] {
    let bodies = Dictionary(
      uniqueKeysWithValues: try store.nextRequests(job: job, limit: 1_000_000).map {
        ($0.id, $0.request)
      })
    var firstRow: [Int64: Int] = [:]
    var result: [String] = []
    try store.forEachRow(job: job) { row in
      let head = "\(row.line) \(row.cells.map(\.text))"
      switch row.status {
      case .skipped: result.append("\(head) skipped")
      case .invalid: result.append("\(head) invalid \(row.reasonCode ?? "")")
      default:
        let id = row.requestID ?? -1
        let first = firstRow[id] ?? row.index
        firstRow[id] = first
        result.append("\(head) \(bodies[id].map { "\($0)" } ?? "no body") @\(first)")
      }
    }
    return result
  }

  @Test(arguments: [nil, "Email"])
  func storesWhatThePlannerSays(onlyMissing: String?) throws {
    let (folder, csv) = try Self.write(Self.messyList(rows: 3_000, seed: 11))
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try JobStore(path: folder.appendingPathComponent("jobs.sqlite").path)
    let options = JobOptions(types: [.email, .phone], onlyMissing: onlyMissing, chunkSize: 7)
    let built = try JobBuilder.build(
      store: store, path: csv, fingerprint: (hex: "00", size: 1), options: options)
    let expected = try Self.oracle(csv: csv, options: options)
    let got = try Self.stored(store, built.job.id)
    #expect(got.count == expected.count)
    for (g, e) in zip(got, expected) where g != e {
      Issue.record("stored \(g)\nexpected \(e)")
      break
    }
    let requestRows = expected.filter { $0.contains(" @") }
    #expect(built.ingest.requests + built.ingest.duplicates == requestRows.count)
    #expect(built.ingest.duplicates > 0 && built.ingest.invalid > 0)
    #expect(built.ingest.rows == expected.count)
    #expect(try store.job(built.job.id)?.state == .running)

    // The summary's distinct counts come from the store's digests, not a second set:
    // they must equal what a summary that finds duplicates itself counts (inspect's way).
    let table = try SourceOpener.openTable(path: csv, options: options.ingestOptions())
    let mappingOptions = try options.mappingOptions()
    let planner = RowPlanner(
      mapping: try ColumnMapping.resolve(header: table.header, options: mappingOptions),
      options: mappingOptions)
    let skipColumn = onlyMissing.flatMap { table.header.firstIndex(of: $0) }
    var reference = MappingSummary(creditCosts: mappingOptions.creditCosts)
    while let row = try table.next() {
      if let c = skipColumn, !row.cells[c].isBlank { continue }
      reference.add(planner.plan(row.cells))
    }
    #expect(built.summary.requests == reference.requests)
    #expect(built.summary.duplicates == reference.duplicates)
    #expect(built.summary.requestsByType == reference.requestsByType)
    #expect(built.summary.credits == reference.credits && reference.credits > 0)
    #expect(built.summary.minimumDurationSeconds == reference.minimumDurationSeconds)
  }

  /// Cancelled after its first chunk (as Ctrl-C does), then continued: the same job.
  @Test func aCancelledIngestContinuesToTheSameJob() throws {
    let (folder, csv) = try Self.write(Self.messyList(rows: 20_000, seed: 5))
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("jobs.sqlite").path
    let options = JobOptions(types: [.email], chunkSize: 50)
    let live = try JobBuilder.start(
      databasePath: path, path: csv, fingerprint: (hex: "00", size: 1), options: options,
      pacing: IngestPacing(rows: 100, interval: 0))
    live.cancel()
    guard case .suspended = live.outcome() else {
      Issue.record("the ingest was not suspended")
      return
    }
    let store = try JobStore(path: path)
    let partial = try #require(try store.job(live.job.id))
    #expect(partial.state == .ingesting)
    #expect(partial.rowCount > 0 && partial.rowCount < 20_000 && partial.rowCount % 50 == 0)
    let continued = JobBuilder.continueIngest(databasePath:job:pacing:)
    let again = try continued(path, live.job.id, .standard)
    guard case .finished(let result) = again.outcome() else {
      Issue.record("the continued ingest did not finish")
      return
    }
    #expect(result.ingest.rows == 20_000)
    #expect(try Self.stored(store, live.job.id) == Self.oracle(csv: csv, options: options))
  }
}

/// A small deterministic generator (SplitMix64).
struct Seeded {
  var state: UInt64
  init(_ seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
