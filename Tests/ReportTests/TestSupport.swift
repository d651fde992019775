import Foundation
import JobStore
import LeadsheetCore

/// A temporary database file, removed with its folder at the end of the test.
final class TempStore {
  let folder: URL
  let store: JobStore
  let clock: TestClock

  init() throws {
    folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("report-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    // A clock that moves 50 ms at each reading, so runs have a duration.
    clock = TestClock()
    store = try JobStore(
      path: folder.appendingPathComponent("jobs.sqlite").path, now: { [clock] in clock.tick() })
  }

  deinit {
    store.close()
    try? FileManager.default.removeItem(at: folder)
  }
}

/// A clock for the store that advances 50 ms each time it is read.
final class TestClock {
  private var time = 1_700_000_000.0

  func advance(_ seconds: Double) { time += seconds }

  func tick() -> Date {
    time += 0.05
    return Date(timeIntervalSince1970: time)
  }
}

/// One lead of a test list: the contact and what the test decides about it.
struct Lead {
  var first: String
  var last: String
  var company: String?
  var domain: String?
  var linkedin: String?
  var country: String
  /// An invalid reason code: the row is never sent.
  var invalid: String?
  /// Where the lead came from (a column to group by).
  var source = "list"

  var cells: [Cell] {
    [
      Cell(first), Cell(last), Cell(company ?? ""), Cell(domain ?? ""), Cell(linkedin ?? ""),
      Cell(country), Cell(source),
    ]
  }

  static let sentences = [
    "missing_name": "the row has no first or last name",
    "missing_last_name": "the row has no last name",
    "missing_first_name": "the row has no first name",
  ]

  static let header = ["First", "Last", "Company", "Domain", "LinkedIn", "Country", "Source"]

  /// The request the mapping would make: phone only with a LinkedIn URL.
  func request(types: [EnrichmentType]) -> EnrichRequest {
    let asked = linkedin == nil ? types.filter { $0 == .email } : types
    return EnrichRequest(
      firstname: first, lastname: last, companyName: company, domain: domain,
      linkedinURL: linkedin, enrichmentType: asked)
  }

  func plan(types: [EnrichmentType]) -> IngestPlan {
    if let invalid { return .invalid(code: invalid, message: Self.sentences[invalid] ?? invalid) }
    return .request(request(types: types))
  }
}

/// Creates a job from leads and ingests them.
func makeJob(
  _ store: JobStore, leads: [Lead], types: [EnrichmentType] = [.email, .phone],
  options: String = "{}", inputPath: String = "leads.csv"
) throws -> JobID {
  let job = try store.createJob(
    JobSpec(
      inputPath: inputPath, inputSHA256: "0", inputSize: 0, format: .csv, header: Lead.header,
      enrichmentTypes: types, options: options))
  try store.ingest(
    job: job.id,
    rows: leads.enumerated().map {
      IngestRow(line: $0.offset + 2, cells: $0.element.cells, plan: $0.element.plan(types: types))
    })
  return job.id
}

/// Answers every pending request (up to `limit`) with `answer`, through the store's API.
func answerRequests(
  _ store: JobStore, job: JobID, limit: Int = .max,
  _ answer: (EnrichRequest) -> RequestOutcome.Result
) throws {
  var left = limit
  while left > 0 {
    let batch = try store.nextRequests(job: job, limit: min(50, left))
    if batch.isEmpty { break }
    try store.markInFlight(job: job, batch.map(\.id))
    try store.recordOutcomes(
      job: job,
      batch.map {
        RequestOutcome(
          requestID: $0.id, result: answer($0.request), latencyMilliseconds: 100 + Int($0.id % 50))
      })
    left -= batch.count
  }
}
