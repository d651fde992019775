import Foundation
import JobStore
import LeadsheetCore

/// A fresh temporary folder, removed by `remove()`.
struct TempFolder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("jobstore-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  /// A path inside the folder.
  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Opens a store in a fresh folder, runs `body`, removes the folder.
func withStore<T>(_ body: (JobStore, TempFolder) throws -> T) throws -> T {
  let folder = try TempFolder()
  defer { folder.remove() }
  let store = try JobStore(path: folder.path("jobs.sqlite"))
  return try body(store, folder)
}

/// A job description for tests.
func sampleSpec(chunkSize: Int = 100) -> JobSpec {
  JobSpec(
    inputPath: "leads.csv", inputSHA256: String(repeating: "ab", count: 32), inputSize: 1234,
    format: .csv, header: ["first", "last", "company"],
    mapping: #"{"first":"firstname"}"#, enrichmentTypes: [.email],
    options: #"{"only_missing":false}"#, chunkSize: chunkSize)
}

/// A request for contact number `n`.
func request(_ n: Int) -> EnrichRequest {
  EnrichRequest(
    firstname: "First\(n)", lastname: "Last\(n)", companyName: "Company \(n)",
    enrichmentType: [.email])
}

/// A row asking for contact `contact`.
func row(_ line: Int, contact: Int) -> IngestRow {
  IngestRow(
    line: line, cells: [Cell("First\(contact)"), Cell("Last\(contact)"), Cell("Company")],
    plan: .request(request(contact)))
}

/// A found answer.
func found(_ id: Int64, email: String = "a@b.example", latency: Int = 100) -> RequestOutcome {
  RequestOutcome(
    requestID: id,
    result: .response(
      EnrichResponse(
        enrichmentID: "e-\(id)", status: "success", email: email, emailStatus: "valid",
        phones: [.init("+33612345678")], phoneStatus: "valid"),
      json: #"{"status":"success"}"#),
    latencyMilliseconds: latency)
}

/// Creates a job and ingests `rows` into it.
@discardableResult
func makeJob(_ store: JobStore, chunkSize: Int = 100, rows: [IngestRow]) throws -> Job {
  let job = try store.createJob(sampleSpec(chunkSize: chunkSize))
  try store.ingest(job: job.id, rows: rows)
  return job
}

/// The pid of a process that has exited (and been reaped).
func deadPID() throws -> Int32 {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/bin/true")
  try process.run()
  process.waitUntilExit()
  return process.processIdentifier
}

/// The permission bits of a file.
func mode(_ path: String) throws -> Int {
  let attributes = try FileManager.default.attributesOfItem(atPath: path)
  return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}
