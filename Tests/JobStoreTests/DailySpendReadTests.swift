import Foundation
import LeadsheetCore
import Testing

@testable import JobStore

/// `creditsSpent(finishedFrom:to:)`: what every job spent in a window of time, each under
/// its own billing model (`--daily-credits` counts today's).
@Suite struct DailySpendReadTests {
  @Test func everyJobsRequestsFinishedInTheWindowCountUnderTheirOwnModel() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    var clock = Date(timeIntervalSince1970: 1_000_000)
    let store = try JobStore(path: folder.path("jobs.sqlite"), now: { clock })
    // Job A: per-request (the default); job B: per-found, asking email + phone.
    let a = try makeJob(store, rows: (1...4).map { row($0 + 1, contact: $0) })
    var spec = sampleSpec()
    spec.options = #"{"billing":"per-found","credit_costs":"email=1,phone=10,personal_email=3"}"#
    let b = try store.createJob(spec)
    try store.ingest(
      job: b.id,
      rows: (1...2).map {
        IngestRow(
          line: $0 + 1, cells: [Cell("B\($0)")],
          plan: .request(
            EnrichRequest(firstname: "B\($0)", lastname: "X", enrichmentType: [.email, .phone])))
      })

    let early = try store.nextRequests(job: a.id, limit: 1)
    try store.markInFlight(job: a.id, early.map(\.id))
    try store.recordOutcomes(job: a.id, [found(early[0].id)])  // yesterday: not counted

    clock = Date(timeIntervalSince1970: 1_086_400)
    let today = try store.nextRequests(job: a.id, limit: 3)
    try store.markInFlight(job: a.id, today.map(\.id))
    try store.recordOutcomes(
      job: a.id,
      [
        found(today[0].id),
        RequestOutcome(
          requestID: today[1].id, result: .failed(errorClass: "timeout", message: "gave up")),
        RequestOutcome(
          requestID: today[2].id, result: .failed(errorClass: "http_422", message: "bad")),
      ])
    let bRequests = try store.nextRequests(job: b.id, limit: 2)
    try store.markInFlight(job: b.id, bRequests.map(\.id))
    try store.recordOutcomes(
      job: b.id,
      [
        RequestOutcome(
          requestID: bRequests[0].id,
          result: .response(EnrichResponse(status: "success", email: "b@x.example"), json: nil)),
        RequestOutcome(
          requestID: bRequests[1].id, result: .response(EnrichResponse(status: "error"), json: nil)
        ),
      ])
    // A: the found email (1) and the timeout at its worst case (1); not the 422.
    // B under per-found: the email found (1); the not-found answer costs nothing.
    #expect(try store.creditsSpent(finishedFrom: 1_086_400, to: 1_172_800) == 3)
    #expect(try store.creditsSpent(finishedFrom: 1_000_000, to: 1_086_400) == 1)
    store.close()
  }
}
