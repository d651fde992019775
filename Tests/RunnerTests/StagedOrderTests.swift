import Foundation
import JobStore
import LeadsheetCore
import Testing

@testable import Runner

/// `--phone-if no-email --max-per company=1` carried out by the store with the real
/// policy: the group's place goes to its best-ranked row that needs a phone, whatever
/// order the emails answer in.
@Suite struct StagedOrderTests {
  private func row(_ n: Int, phone: Bool = true) -> IngestRow {
    // A row without a LinkedIn URL cannot ask for a phone: it asks for the email alone.
    IngestRow(
      line: n + 2, cells: [Cell("First\(n)"), Cell("Last\(n)"), Cell("Acme")],
      plan: .request(
        EnrichRequest(
          firstname: "First\(n)", lastname: "Last\(n)", companyName: "Acme",
          linkedinURL: phone ? "https://www.linkedin.com/in/p-\(n)" : nil,
          enrichmentType: phone ? [.email, .phone] : [.email])))
  }

  private func makeStore(_ name: String) throws -> (JobStore, JobID, URL) {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let store = try JobStore(path: folder.appendingPathComponent("jobs.sqlite").path)
    let job = try store.createJob(
      JobSpec(
        inputPath: "leads.csv", inputSHA256: String(repeating: "ab", count: 32), inputSize: 1,
        format: .csv, header: ["first", "last", "company"], mapping: "{}",
        enrichmentTypes: [.email, .phone], options: "{}", chunkSize: 100))
    return (store, job.id, folder)
  }

  /// `--max-per company=1` alone: a better-ranked row of the group that asks for no
  /// phone (no LinkedIn URL) takes no place, so it does not hold the phone row back.
  @Test func aRowThatCannotAskForAPhoneDoesNotHoldTheGroupBack() throws {
    let (store, job, folder) = try makeStore("staged-phoneless")
    defer { try? FileManager.default.removeItem(at: folder) }
    try store.ingest(job: job, rows: [row(0, phone: false), row(1), row(2)])
    // One group: the two rows that ask for a phone (the first asks for none).
    #expect(try store.assignGroups(job: job, column: 2, limited: StagePolicy.stagedTypes) == 1)
    let stage = StagePolicy(maxPer: .init(column: "company", limit: 1)).decision
    let refill = try store.takeRequests(job: job, limit: 10, reuse: nil, stage: stage)
    // Row 1 buys its phone at once (it was deferred behind row 0's email before);
    // row 2's phone is skipped, the place taken.
    #expect(
      refill.requests.map(\.request.enrichmentType) == [[.email], [.email, .phone], [.email]])
    #expect(refill.requests.map(\.deferred) == [[], [], []])
  }

  private func email(_ id: Int64, found: Bool) -> RequestOutcome {
    RequestOutcome(
      requestID: id,
      result: .response(
        found
          ? EnrichResponse(status: "success", email: "p\(id)@x.example", emailStatus: "valid")
          : EnrichResponse(status: "error", emailStatus: "N/A"), json: nil))
  }

  @Test func thePlaceGoesToTheBestRankedRowThatNeedsIt() throws {
    let (store, job, folder) = try makeStore("staged-order")
    defer { try? FileManager.default.removeItem(at: folder) }
    try store.ingest(job: job, rows: (0..<3).map { row($0) })
    try store.assignGroups(job: job, column: 2, limited: StagePolicy.stagedTypes)
    let stage = StagePolicy(phoneIf: .noEmail, maxPer: .init(column: "company", limit: 1)).decision

    let first = try store.takeRequests(job: job, limit: 10, reuse: nil, stage: stage)
    #expect(first.requests.map(\.request.enrichmentType) == [[.email], [.email], [.email]])
    let ids = first.requests.map(\.id)
    try store.markInFlight(job: job, ids)

    // The worst-ranked row's email is not found first: it waits for the two before it.
    try store.recordOutcomes(job: job, [email(ids[2], found: false)])
    var refill = try store.takeRequests(job: job, limit: 10, reuse: nil, stage: stage)
    #expect(refill.requests.isEmpty && refill.waiting)

    // The best row's email is found: it needs no phone; the last still waits for row 1.
    try store.recordOutcomes(job: job, [email(ids[0], found: true)])
    refill = try store.takeRequests(job: job, limit: 10, reuse: nil, stage: stage)
    #expect(refill.requests.isEmpty && refill.waiting)

    // Row 1's email is not found: it takes the place; the last row's phone is skipped.
    try store.recordOutcomes(job: job, [email(ids[1], found: false)])
    refill = try store.takeRequests(job: job, limit: 10, reuse: nil, stage: stage)
    #expect(refill.requests.map(\.id) == [ids[1]])
    #expect(refill.requests.first?.request.enrichmentType == [.phone])
    var out: [JobRow] = []
    try store.forEachRow(job: job) { out.append($0) }
    #expect(out[0].outcome?.phoneStatus == "skipped")
    #expect(out[2].outcome?.phoneStatus == "skipped")
    #expect(out[2].outcome?.message == "phone not bought: --max-per company=1 reached")
    #expect(out[1].outcome == nil || out[1].status == .pending)
  }
}
