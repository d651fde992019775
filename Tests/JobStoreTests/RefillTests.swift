import Foundation
import LeadsheetCore
import Testing

@testable import JobStore

/// Reuses every stored answer of the types a request asks (the runner's
/// `ReusePolicy` decides ages; these tests are about what the store does with it).
private func reuseAll(_ request: EnrichRequest, _ stored: [String: StoredAnswer])
  -> [EnrichmentType: StoredAnswer]
{
  var out: [EnrichmentType: StoredAnswer] = [:]
  for type in request.enrichmentType {
    if let answer = stored[StoredAnswer.typeKey(type, countries: request.phoneCountryCodes)] {
      out[type] = answer
    }
  }
  return out
}

/// A request for contact `n` asking `types`.
private func request(_ n: Int, types: [EnrichmentType], first: String? = nil) -> EnrichRequest {
  EnrichRequest(
    firstname: first ?? "First\(n)", lastname: "Last\(n)", companyName: "Company \(n)",
    enrichmentType: types)
}

private func row(_ line: Int, _ request: EnrichRequest) -> IngestRow {
  IngestRow(
    line: line,
    cells: [Cell(request.firstname ?? ""), Cell(request.lastname ?? ""), Cell("Company")],
    plan: .request(request))
}

/// A not-found answer.
private func notFound(_ id: Int64) -> RequestOutcome {
  RequestOutcome(
    requestID: id,
    result: .response(
      EnrichResponse(status: "error", emailStatus: "N/A", message: "not found"), json: nil))
}

/// Buys every pending request of `job` with `answer`, through `takeRequests`.
private func buyAll(
  _ store: JobStore, _ job: JobID, answer: (PendingRequest) -> RequestOutcome
) throws -> Refill {
  let refill = try store.takeRequests(job: job, limit: 100, reuse: reuseAll)
  try store.markInFlight(job: job, refill.requests.map(\.id))
  try store.recordOutcomes(job: job, refill.requests.map(answer))
  return refill
}

private func rows(_ store: JobStore, _ job: JobID) throws -> [JobRow] {
  var out: [JobRow] = []
  try store.forEachRow(job: job) { out.append($0) }
  return out
}

@Suite struct RefillTests {
  /// A second job takes what the first bought, written differently (case, spaces),
  /// and buys only its new contacts; the reused rows keep the first job's answer and
  /// date, and cost nothing.
  @Test func aSecondJobReusesWhatTheFirstBought() throws {
    try withStore { store, _ in
      let a = try store.createJob(sampleSpec())
      try store.ingest(job: a.id, rows: (0..<3).map { row($0 + 2, request($0, types: [.email])) })
      let boughtA = try buyAll(store, a.id) { r in
        r.request.firstname == "First1" ? notFound(r.id) : found(r.id, email: "a\(r.id)@x.example")
      }
      #expect(boughtA.requests.count == 3 && boughtA.reusedRequests == 0)

      let b = try store.createJob(sampleSpec())
      try store.ingest(
        job: b.id,
        rows: [
          row(2, request(0, types: [.email], first: "  FIRST0 ")),
          row(3, request(1, types: [.email])),
          row(4, request(9, types: [.email])),
        ])
      let refill = try store.takeRequests(job: b.id, limit: 100, reuse: reuseAll)
      #expect(refill.requests.map(\.request.firstname) == ["First9"])
      #expect(refill.reusedRequests == 2 && refill.reusedFound == 1)
      #expect(refill.reusedTypes == [.email: 2])
      let got = try rows(store, b.id)
      #expect(got.map(\.status) == [.found, .notFound, .pending])
      #expect(got[0].outcome?.email == "a\(boughtA.requests[0].id)@x.example")
      #expect(got[0].outcome?.reused.job == a.id.rawValue)
      #expect(got[0].outcome?.reused.bought == [])
      #expect(got[1].outcome?.message == "not found")
      // Nothing of the reused rows is counted as spent.
      let tally = try store.creditTally(job: b.id)
      #expect(tally.spent(under: BillingModel()) == 0)
      #expect(tally.requestsLeft == 1)
      // Without a decision nothing is reused (claims only).
      let c = try store.createJob(sampleSpec())
      try store.ingest(job: c.id, rows: [row(2, request(0, types: [.email]))])
      #expect(try store.takeRequests(job: c.id, limit: 10, reuse: nil).requests.count == 1)
    }
  }

  /// A request whose email is stored asks only for the phone; its answer is the
  /// stored email with the bought phone, and only the phone is counted as spent.
  @Test func aPartlyStoredRequestBuysOnlyTheRest() throws {
    try withStore { store, _ in
      let a = try store.createJob(sampleSpec())
      try store.ingest(job: a.id, rows: [row(2, request(0, types: [.email]))])
      _ = try buyAll(store, a.id) { found($0.id, email: "zero@x.example") }

      let b = try store.createJob(sampleSpec())
      try store.ingest(job: b.id, rows: [row(2, request(0, types: [.email, .phone]))])
      let refill = try store.takeRequests(job: b.id, limit: 10, reuse: reuseAll)
      #expect(refill.requests.count == 1)
      #expect(refill.requests[0].request.enrichmentType == [.phone])
      #expect(refill.reusedTypes == [.email: 1] && refill.reusedRequests == 0)
      try store.markInFlight(job: b.id, refill.requests.map(\.id))
      try store.recordOutcomes(
        job: b.id,
        [
          RequestOutcome(
            requestID: refill.requests[0].id,
            result: .response(
              EnrichResponse(
                status: "success", phones: [.init("+33600000000")], phoneStatus: "valid"),
              json: nil))
        ])
      let got = try rows(store, b.id)[0]
      #expect(got.status == .found)
      #expect(got.outcome?.email == "zero@x.example")
      #expect(got.outcome?.phones == ["+33600000000"])
      #expect(got.outcome?.reused.types == [.email] && got.outcome?.reused.bought == [.phone])
      let identity = try #require(ContactIdentity(request(0, types: [.email])))
      let stored = try store.storedAnswers(of: identity)
      #expect(stored["email"]?.job == a.id, "the reused email is not bought again")
      #expect(stored["phone"]?.job == b.id)
      let tally = try store.creditTally(job: b.id)
      #expect(tally.spent(under: BillingModel()) == CreditCosts.default.cost(of: [.phone]))
    }
  }

  /// A contact being bought by a live run of another job is waited for, then
  /// reused; a claim left by a crashed job is taken over.
  @Test func aContactBeingBoughtElsewhereIsWaitedFor() throws {
    try withStore { store, _ in
      let a = try store.createJob(sampleSpec())
      try store.ingest(job: a.id, rows: [row(2, request(0, types: [.email]))])
      _ = try store.acquireLock(job: a.id, pid: getpid(), host: JobStore.currentHost)
      let taken = try store.takeRequests(job: a.id, limit: 10, reuse: reuseAll)
      #expect(taken.requests.count == 1)

      let b = try store.createJob(sampleSpec())
      try store.ingest(job: b.id, rows: [row(2, request(0, types: [.email]))])
      var refill = try store.takeRequests(job: b.id, limit: 10, reuse: reuseAll)
      #expect(refill.requests.isEmpty && refill.waiting)
      #expect(try rows(store, b.id)[0].status == .pending)

      // A answers: the claim goes, B wakes and reuses the answer.
      try store.markInFlight(job: a.id, taken.requests.map(\.id))
      try store.recordOutcomes(job: a.id, [found(taken.requests[0].id, email: "w@x.example")])
      refill = try store.takeRequests(job: b.id, limit: 10, reuse: reuseAll)
      #expect(refill.requests.isEmpty && !refill.waiting && refill.reusedRequests == 1)
      #expect(try rows(store, b.id)[0].outcome?.email == "w@x.example")

      // A claim of a job whose process is gone does not hold anyone back.
      let c = try store.createJob(sampleSpec())
      try store.ingest(job: c.id, rows: [row(2, request(5, types: [.email]))])
      _ = try store.acquireLock(job: c.id, pid: try deadPID(), host: JobStore.currentHost)
      #expect(try store.takeRequests(job: c.id, limit: 10, reuse: reuseAll).requests.count == 1)
      let d = try store.createJob(sampleSpec())
      try store.ingest(job: d.id, rows: [row(2, request(5, types: [.email]))])
      refill = try store.takeRequests(job: d.id, limit: 10, reuse: reuseAll)
      #expect(refill.requests.count == 1 && !refill.waiting)
    }
  }

  /// One list naming a contact twice, written differently (two requests, one
  /// identity): the second waits for the first and reuses its answer, whatever the
  /// reuse decision, so the job pays once.
  @Test func theSameContactTwiceInOneJobIsBoughtOnce() throws {
    try withStore { store, _ in
      let a = try store.createJob(sampleSpec())
      try store.ingest(
        job: a.id,
        rows: [
          row(2, request(0, types: [.email])),
          row(3, request(0, types: [.email], first: "first0")),
        ])
      var refill = try store.takeRequests(job: a.id, limit: 10, reuse: reuseAll)
      #expect(refill.requests.count == 1 && refill.waiting)
      try store.markInFlight(job: a.id, refill.requests.map(\.id))
      try store.recordOutcomes(job: a.id, [found(refill.requests[0].id, email: "one@x.example")])
      refill = try store.takeRequests(job: a.id, limit: 10, reuse: reuseAll)
      #expect(refill.requests.isEmpty && refill.reusedRequests == 1)
      #expect(
        try rows(store, a.id).map { $0.outcome?.email } == ["one@x.example", "one@x.example"])
      #expect(try store.creditTally(job: a.id).spent(under: BillingModel()) == 1)
    }
  }

  /// `releaseClaims` drops a job's claims and wakes its waiting requests (a run's
  /// end, or a crash's leftovers at the next start).
  @Test func releasingClaimsWakesWaiters() throws {
    try withStore { store, _ in
      let a = try store.createJob(sampleSpec())
      try store.ingest(
        job: a.id,
        rows: [
          row(2, request(0, types: [.email])),
          row(3, request(0, types: [.email], first: "FIRST0")),
        ])
      let first = try store.takeRequests(job: a.id, limit: 10, reuse: reuseAll)
      #expect(first.requests.count == 1 && first.waiting)
      try store.releaseClaims(job: a.id)
      // Neither is claimed now: the next refill hands out one, the other waits again.
      let again = try store.takeRequests(job: a.id, limit: 10, reuse: reuseAll)
      #expect(again.requests.count == 1 && again.waiting)
    }
  }

  /// A list the store answers whole is finished in short transactions: a refill stops
  /// after `maxReusedPerRefill` and says there is more.
  @Test func aWholeListFromTheStoreIsFinishedInSteps() throws {
    try withStore { store, _ in
      let n = JobStore.maxReusedPerRefill + 50
      let a = try store.createJob(sampleSpec())
      try store.ingest(job: a.id, rows: (0..<n).map { row($0 + 2, request($0, types: [.email])) })
      var bought = 0
      while true {
        let refill = try buyAll(store, a.id) { found($0.id) }
        if refill.requests.isEmpty { break }
        bought += refill.requests.count
      }
      #expect(bought == n)
      let b = try store.createJob(sampleSpec())
      try store.ingest(job: b.id, rows: (0..<n).map { row($0 + 2, request($0, types: [.email])) })
      let first = try store.takeRequests(job: b.id, limit: 100, reuse: reuseAll)
      #expect(first.requests.isEmpty && first.more)
      #expect(first.reusedRequests == JobStore.maxReusedPerRefill)
      let second = try store.takeRequests(job: b.id, limit: 100, reuse: reuseAll)
      #expect(second.reusedRequests == 50 && !second.more)
      #expect(try store.counts(job: b.id).rowsByStatus[.found] == n)
    }
  }
}
