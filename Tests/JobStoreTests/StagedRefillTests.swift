import Foundation
import LeadsheetCore
import Testing

@testable import JobStore

/// `--phone-if no-email` as the store sees it: defer the phone while the email is
/// bought, then buy it only where the email was not found (the runner's
/// `StagePolicy` is tested on its own; this is what the store does with a plan).
private let phoneIfNoEmail: StageDecision = { q in
  guard q.toBuy.contains(.phone) else { return StagePlan(buy: q.toBuy) }
  guard let email = q.email else {
    return q.toBuy.contains(.email)
      ? StagePlan(buy: q.toBuy.filter { $0 != .phone }, deferred: [.phone])
      : StagePlan(buy: q.toBuy)
  }
  return email.found
    ? StagePlan(buy: q.toBuy.filter { $0 != .phone }, skipped: [.phone: "phone not bought"])
    : StagePlan(buy: q.toBuy)
}

/// `--max-per company=1` alone: the first request of a group buys the phone.
private let maxOnePhonePerGroup: StageDecision = { q in
  guard q.toBuy.contains(.phone) else { return StagePlan(buy: q.toBuy) }
  switch q.quota {
  case .none, .taken: return StagePlan(buy: q.toBuy, takesQuota: q.quota == .taken)
  case .used(let n) where n < 1: return StagePlan(buy: q.toBuy, takesQuota: true)
  case .used:
    return StagePlan(buy: q.toBuy.filter { $0 != .phone }, skipped: [.phone: "max-per"])
  }
}

private func stagedRow(_ n: Int, company: String = "Company") -> IngestRow {
  IngestRow(
    line: n + 2, cells: [Cell("First\(n)"), Cell("Last\(n)"), Cell(company)],
    plan: .request(
      EnrichRequest(
        firstname: "First\(n)", lastname: "Last\(n)", companyName: company,
        linkedinURL: "https://www.linkedin.com/in/person-\(n)", enrichmentType: [.email, .phone])))
}

private func emailOnly(_ id: Int64, found: Bool) -> RequestOutcome {
  RequestOutcome(
    requestID: id,
    result: .response(
      found
        ? EnrichResponse(status: "success", email: "p\(id)@x.example", emailStatus: "valid")
        : EnrichResponse(status: "error", emailStatus: "N/A", message: "no email"),
      json: nil))
}

private func phoneOnly(_ id: Int64) -> RequestOutcome {
  RequestOutcome(
    requestID: id,
    result: .response(
      EnrichResponse(status: "success", phones: [.init("+33612345678")], phoneStatus: "valid"),
      json: nil))
}

private func rows(_ store: JobStore, _ job: JobID) throws -> [JobRow] {
  var out: [JobRow] = []
  try store.forEachRow(job: job) { out.append($0) }
  return out
}

@Suite struct StagedRefillTests {
  /// The email first; the phone only for the contact whose email was not found; the
  /// found one finishes with its phone skipped, without a second request.
  @Test func phoneOnlyWhereTheEmailWasNotFound() throws {
    try withStore { store, _ in
      let job = try makeJob(store, rows: [stagedRow(0), stagedRow(1)]).id
      let first = try store.takeRequests(job: job, limit: 10, reuse: nil, stage: phoneIfNoEmail)
      #expect(first.requests.map(\.request.enrichmentType) == [[.email], [.email]])
      #expect(first.requests.map(\.deferred) == [[.phone], [.phone]])
      let ids = first.requests.map(\.id)
      try store.markInFlight(job: job, ids)
      // While the first stage is out, the refill says more may come.
      let meanwhile = try store.takeRequests(
        job: job, limit: 10, reuse: nil, stage: phoneIfNoEmail)
      #expect(meanwhile.requests.isEmpty && meanwhile.waiting)
      try store.recordOutcomes(
        job: job, [emailOnly(ids[0], found: true), emailOnly(ids[1], found: false)])

      // Mid-stage: both emails are spent; the phones are still to buy.
      let tally = try store.creditTally(job: job)
      let model = BillingModel(.perRequest)
      #expect(tally.spent(under: model) == 2)
      #expect(tally.estimateLeft(under: model) == 20)

      let second = try store.takeRequests(job: job, limit: 10, reuse: nil, stage: phoneIfNoEmail)
      #expect(second.requests.map(\.id) == [ids[1]])
      #expect(second.requests.first?.request.enrichmentType == [.phone])
      #expect(second.requests.first?.deferred == [])
      try store.markInFlight(job: job, [ids[1]])
      try store.recordOutcomes(job: job, [phoneOnly(ids[1])])

      let out = try rows(store, job)
      #expect(out.map(\.status) == [.found, .found])
      #expect(out[0].outcome?.email == "p\(ids[0])@x.example")
      #expect(out[0].outcome?.phoneStatus == StagedAnswers.skippedStatus)
      #expect(out[0].outcome?.message == "phone not bought")
      #expect(out[1].outcome?.email == nil && out[1].outcome?.emailStatus == "N/A")
      #expect(out[1].outcome?.phones == ["+33612345678"])
      #expect(try store.requestCountsByState(job: job).filter { $0.value > 0 } == [.done: 2])
      // Spent: two emails and one phone; the skipped phone costs nothing.
      let final = try store.creditTally(job: job)
      #expect(final.spent(under: model) == 12)
      #expect(final.requestsLeft == 0)
      var costed = 0
      try store.forEachCostedRequest(job: job) { costed += $0.cost(under: model) }
      #expect(costed == 12)
    }
  }

  /// A failed second stage keeps the email bought in the first.
  @Test func aFailedSecondStageKeepsTheEmail() throws {
    try withStore { store, _ in
      let job = try makeJob(store, rows: [stagedRow(0)]).id
      let id = try store.takeRequests(job: job, limit: 10, reuse: nil, stage: phoneIfNoEmail)
        .requests[0].id
      try store.markInFlight(job: job, [id])
      try store.recordOutcomes(job: job, [emailOnly(id, found: false)])
      // Not found: buy the phone, which fails.
      _ = try store.takeRequests(job: job, limit: 10, reuse: nil, stage: phoneIfNoEmail)
      try store.markInFlight(job: job, [id])
      try store.recordOutcomes(
        job: job,
        [RequestOutcome(requestID: id, result: .failed(errorClass: "http_400", message: "bad"))])
      let row = try #require(try rows(store, job).first)
      #expect(row.status == .failed)
      #expect(row.outcome?.emailStatus == "N/A")
      // The email was spent (the row is failed, the first stage answered).
      #expect(try store.creditTally(job: job).spent(under: BillingModel(.perRequest)) == 1)
    }
  }

  /// `--max-per`: groups from the column's folded value; one place per group,
  /// taken once even when a request is handed out again.
  @Test func onePhonePerGroup() throws {
    try withStore { store, _ in
      let job = try makeJob(
        store,
        rows: [
          stagedRow(0, company: "Acme Inc"), stagedRow(1, company: "  ACME   inc "),
          stagedRow(2, company: "Other"), stagedRow(3, company: ""),
        ]
      ).id
      #expect(try store.assignGroups(job: job, column: 2, limited: [.phone, .personalEmail]) == 2)
      let refill = try store.takeRequests(
        job: job, limit: 10, reuse: nil, stage: maxOnePhonePerGroup)
      #expect(
        refill.requests.map(\.request.enrichmentType) == [
          [.email, .phone], [.email], [.email, .phone], [.email, .phone],
        ])
      // Handed out again after a stop: the first request keeps its place.
      try store.markInFlight(job: job, refill.requests.map(\.id))
      #expect(try store.recoverInFlight(job: job, resend: true) == 4)
      let again = try store.takeRequests(
        job: job, limit: 10, reuse: nil, stage: maxOnePhonePerGroup)
      #expect(
        again.requests.map(\.request.enrichmentType)
          == refill.requests.map(\.request.enrichmentType))
    }
  }
}

@Suite struct StagedLedgerTests {
  /// A first stage the API took (an id to poll) is read back after a restart asking
  /// for the email alone, its id under the email's part, the phone still deferred:
  /// the next run polls the email and never submits the phone without the rule.
  @Test func aSubmittedFirstStageIsReadBackNarrowed() throws {
    try withStore { store, _ in
      let job = try makeJob(store, rows: [stagedRow(0)]).id
      let work = try store.takeRequests(job: job, limit: 10, reuse: nil, stage: phoneIfNoEmail)
        .requests[0]
      try store.markInFlight(job: job, [work.id])
      var ledger = work.ledger
      ledger.ids["email"] = "id-email"
      try store.recordOutcomes(
        job: job, [RequestOutcome(requestID: work.id, result: .submitted(ledger, complete: true))])
      let submitted = try #require(try store.submittedRequests(job: job).first)
      #expect(submitted.request.enrichmentType == [.email])
      #expect(submitted.deferred == [.phone])
      #expect(submitted.ledger.awaitingParts == ["email"])
      #expect(submitted.ledger.unbought.isEmpty)
      // Its answer (by polling) is a first stage: back to pending for the phone.
      try store.recordOutcomes(job: job, [emailOnly(work.id, found: false)])
      let next = try store.takeRequests(job: job, limit: 10, reuse: nil, stage: phoneIfNoEmail)
      #expect(next.requests.map(\.request.enrichmentType) == [[.phone]])
      #expect(next.requests.first?.ledger.isEmpty == true)
    }
  }

  /// A request that reused its email and is sent again after a transient failure keeps
  /// the reused email (its answer is merged in when the phone answers).
  @Test func aRetriedPartlyReusedRequestKeepsItsReusedEmail() throws {
    try withStore { store, _ in
      let a = try makeJob(store, rows: [stagedRow(0)]).id
      let reuseAll: ReuseDecision = { request, stored in
        var out: [EnrichmentType: StoredAnswer] = [:]
        for type in request.enrichmentType {
          if let s = stored[StoredAnswer.typeKey(type, countries: request.phoneCountryCodes)] {
            out[type] = s
          }
        }
        return out
      }
      // Job A buys the email only (its phone is skipped by the rule).
      let ida = try store.takeRequests(job: a, limit: 10, reuse: nil, stage: phoneIfNoEmail)
        .requests[0].id
      try store.markInFlight(job: a, [ida])
      try store.recordOutcomes(job: a, [emailOnly(ida, found: true)])
      _ = try store.takeRequests(job: a, limit: 10, reuse: nil, stage: phoneIfNoEmail)

      let b = try makeJob(store, rows: [stagedRow(0)]).id
      let first = try store.takeRequests(job: b, limit: 10, reuse: reuseAll).requests
      #expect(first.map(\.request.enrichmentType) == [[.phone]])
      try store.markInFlight(job: b, first.map(\.id))
      try store.recordOutcomes(
        job: b,
        [
          RequestOutcome(
            requestID: first[0].id, result: .retryLater(errorClass: "timeout", message: "t"))
        ])
      let again = try store.takeRequests(job: b, limit: 10, reuse: reuseAll).requests
      #expect(again.map(\.request.enrichmentType) == [[.phone]])
      try store.markInFlight(job: b, again.map(\.id))
      try store.recordOutcomes(job: b, [phoneOnly(again[0].id)])
      let row = try #require(try rows(store, b).first)
      #expect(row.outcome?.email == "p\(ida)@x.example")
      #expect(row.outcome?.phones == ["+33612345678"])
      #expect(row.outcome?.reused.types == [.email])
    }
  }

  /// A rule dropped on resume: a request left with a deferred phone is bought whole,
  /// and its answer finishes it (it is not taken for a first stage, which would buy
  /// the phone a second time).
  @Test func aRuleDroppedOnResumeBuysEachTypeOnce() throws {
    try withStore { store, _ in
      let job = try makeJob(store, rows: [stagedRow(0)]).id
      let first = try store.takeRequests(job: job, limit: 10, reuse: nil, stage: phoneIfNoEmail)
      let id = first.requests[0].id
      try store.markInFlight(job: job, [id])
      try store.recordOutcomes(
        job: job,
        [RequestOutcome(requestID: id, result: .retryLater(errorClass: "timeout", message: "t"))])
      let again = try store.takeRequests(job: job, limit: 10, reuse: nil, stage: nil)
      #expect(again.requests.map(\.request.enrichmentType) == [[.email, .phone]])
      #expect(again.requests.first?.deferred == [])
      try store.markInFlight(job: job, [id])
      try store.recordOutcomes(job: job, [found(id)])
      #expect(try store.requestCountsByState(job: job).filter { $0.value > 0 } == [.done: 1])
      let row = try #require(try rows(store, job).first)
      #expect(row.outcome?.email == "a@b.example" && row.outcome?.phones == ["+33612345678"])
      #expect(try store.takeRequests(job: job, limit: 10, reuse: nil, stage: nil).requests.isEmpty)
    }
  }

  @Test func keepingAPartOfALedger() {
    var ledger = SubmissionLedger(types: [.email, .phone])
    ledger.ids["email"] = "a"
    ledger.ids["phone"] = "b"
    ledger.ids["email,phone"] = "c"
    let kept = ledger.keeping([.email])
    #expect(kept.types == [.email])
    #expect(kept.ids == ["email": "a"])
  }
}
