import Foundation
import LeadsheetCore
import Testing

@testable import JobStore

/// `creditTally(job:)`: what the job spent, read back from its requests.
@Suite struct CreditTallyReadTests {
  @Test func answeredFailedAndLeftRequestsAreTallied() throws {
    try withStore { store, _ throws in
      let job = try makeJob(
        store, rows: (1...5).map { row($0 + 1, contact: $0) })
      let next = try store.nextRequests(job: job.id, limit: 4)
      try store.markInFlight(job: job.id, next.map(\.id))
      let phones = EnrichResponse(status: "success", phones: [.init("+331"), .init("+332")])
      try store.recordOutcomes(
        job: job.id,
        [
          found(next[0].id),
          RequestOutcome(requestID: next[1].id, result: .response(phones, json: nil)),
          RequestOutcome(
            requestID: next[2].id, result: .failed(errorClass: "timeout", message: "gave up")),
          RequestOutcome(
            requestID: next[3].id, result: .failed(errorClass: "http_422", message: "bad")),
        ])
      let tally = try store.creditTally(job: job.id)
      let types = next[0].request.enrichmentType
      #expect(tally.requestsLeft == 1)
      #expect(
        tally.answered[.init(types: types, findings: .init(email: true, phoneNumbers: 1))] == 1)
      #expect(tally.answered[.init(types: types, findings: .init(phoneNumbers: 2))] == 1)
      #expect(tally.possiblyBilled[types.sorted()] == 1, "the timeout; not the 422")
      let worst = BillingModel().worstCase(types: types)
      #expect(tally.spent(under: BillingModel(.perRequest)) == 3 * worst)
    }
  }
}
