import Foundation
import LeadsheetCore
import Testing

@testable import JobStore

@Suite struct RequestsTests {
  /// Chunks of 2: [1, 2] [1, 3] [4]
  func fiveRows(_ store: JobStore) throws -> Job {
    try makeJob(
      store, chunkSize: 2,
      rows: [
        row(2, contact: 1), row(3, contact: 2), row(4, contact: 1), row(5, contact: 3),
        row(6, contact: 4),
      ])
  }

  /// A request the API took without a result (submitted) fails with its enrichment id
  /// stored, so that a later poll can fetch it.
  @Test func aFailedOutcomeKeepsItsEnrichmentID() throws {
    try withStore { store, _ throws in
      let job = try fiveRows(store)
      let next = try store.nextRequests(job: job.id, limit: 2)
      try store.markInFlight(job: job.id, next.map(\.id))
      try store.recordOutcomes(
        job: job.id,
        [
          RequestOutcome(
            requestID: next[0].id, result: .failed(errorClass: "submitted", message: "took it"),
            enrichmentID: "enr-9"),
          RequestOutcome(
            requestID: next[1].id, result: .failed(errorClass: "http_422", message: "bad")),
        ])
      var rows: [JobRow] = []
      try store.forEachRow(job: job.id) { rows.append($0) }
      #expect(rows[0].status == .failed)
      #expect(rows[0].outcome?.enrichmentID == "enr-9")
      #expect(rows[0].outcome?.errorClass == "submitted")
      #expect(rows[1].outcome?.enrichmentID == nil)
    }
  }

  /// The ledger of ids grows while the request is in flight; once nothing is sent
  /// without an id the request is `submitted`: offered to polls, never to sends.
  @Test func theLedgerIsStoredAndASubmittedRequestIsNeverPendingAgain() throws {
    try withStore { store, _ throws in
      let job = try fiveRows(store)
      let next = try store.nextRequests(job: job.id, limit: 2)
      try store.markInFlight(job: job.id, next.map(\.id))
      var ledger = SubmissionLedger(types: next[0].request.enrichmentType)
      ledger.ids[SubmissionLedger.key(ledger.types)] = "enr-1"
      try store.recordOutcomes(
        job: job.id,
        [
          RequestOutcome(requestID: next[0].id, result: .submitted(ledger, complete: true)),
          RequestOutcome(requestID: next[1].id, result: .submitted(ledger, complete: false)),
        ])
      let counts = try store.requestCountsByState(job: job.id)
      #expect(counts[.submitted] == 1 && counts[.inFlight] == 1)
      let submitted = try store.submittedRequests(job: job.id)
      #expect(submitted.map(\.id) == [next[0].id])
      #expect(submitted.first?.ledger.ids.values.first == "enr-1")
      // A crash: the one in flight goes back to pending with its ledger; the
      // submitted one stays submitted.
      #expect(try store.recoverInFlight(job: job.id, resend: true) == 1)
      let pending = try store.nextRequests(job: job.id, limit: 10)
      #expect(pending.first { $0.id == next[1].id }?.ledger.ids.values.first == "enr-1")
      #expect(!pending.contains { $0.id == next[0].id })
      #expect(try store.unfinishedRequests(job: job.id) == 4)
      // Answered by a poll: done.
      let answer = EnrichResponse(enrichmentID: "enr-1", status: "finished", email: "a@b.c")
      try store.recordOutcomes(
        job: job.id,
        [RequestOutcome(requestID: next[0].id, result: .response(answer, json: nil))])
      #expect(try store.submittedRequests(job: job.id).isEmpty)
    }
  }

  /// Failed as `submitted` (still pending at --poll-timeout): the next run reopens
  /// it to poll again; `--retry-failed` never sends it again.
  @Test func aRequestFailedStillPendingIsReopenedForPollsNotResent() throws {
    try withStore { store, _ throws in
      let job = try fiveRows(store)
      let next = try store.nextRequests(job: job.id, limit: 1)
      try store.markInFlight(job: job.id, next.map(\.id))
      var outcome = RequestOutcome(
        requestID: next[0].id,
        result: .failed(errorClass: "submitted", message: "still pending"),
        enrichmentID: #"{"email":"e-1"}"#)
      outcome.partialResults = #"{"phone":{"phones":["+331"],"status":"finished"}}"#
      try store.recordOutcomes(job: job.id, [outcome])
      #expect(try store.resetFailed(job: job.id) == 0)
      #expect(try store.reopenSubmitted(job: job.id) == 1)
      let reopened = try store.submittedRequests(job: job.id)
      #expect(reopened.count == 1)
      #expect(reopened.first?.ledger.ids == ["email": "e-1"])
      #expect(reopened.first?.ledger.results["phone"]?.phones == [.init("+331")])
      #expect(try store.chunkState(job: job.id, chunk: 0) == .running)
      #expect(try store.reopenSubmitted(job: job.id) == 0, "only once")
    }
  }

  @Test func outcomesFanOutAndFinishChunks() throws {
    try withStore { store, _ throws in
      let job = try fiveRows(store)
      let next = try store.nextRequests(job: job.id, limit: 2)
      #expect(next.map(\.request) == [request(1), request(2)])
      try store.markInFlight(job: job.id, next.map(\.id))
      #expect(try store.chunkState(job: job.id, chunk: 0) == .running)
      #expect(try store.chunkState(job: job.id, chunk: 1) == .running)  // shares contact 1
      #expect(try store.chunkState(job: job.id, chunk: 2) == .pending)
      // In-flight requests are not offered again.
      #expect(
        try store.nextRequests(job: job.id, limit: 10).map(\.request)
          == [request(3), request(4)])

      let applied = try store.recordOutcomes(
        job: job.id,
        [
          found(next[0].id, email: "one@x.example", latency: 120),
          RequestOutcome(
            requestID: next[1].id,
            result: .response(
              EnrichResponse(status: "error", emailStatus: "N/A", message: "not found"),
              json: nil), latencyMilliseconds: 80),
        ])
      #expect(applied == 2)
      #expect(try store.chunkState(job: job.id, chunk: 0) == .done)
      #expect(try store.chunkState(job: job.id, chunk: 1) == .running)  // contact 3 open

      var rows: [JobRow] = []
      try store.forEachRow(job: job.id) { rows.append($0) }
      #expect(rows.map(\.status) == [.found, .notFound, .found, .pending, .pending])
      #expect(rows[0].outcome?.email == "one@x.example")
      #expect(rows[2].outcome?.email == "one@x.example")  // fanned out
      #expect(rows[0].requestID == rows[2].requestID)
      #expect(rows[0].outcome?.phones == ["+33612345678"])
      #expect(rows[0].outcome?.enrichmentID == "e-\(next[0].id)")
      #expect(rows[0].outcome?.attempts == 1)
      #expect(rows[0].outcome?.latencyMilliseconds == 120)
      #expect(rows[0].outcome?.responseJSON == #"{"status":"success"}"#)
      #expect(rows[1].message == "not found")

      // A second outcome for a done request is ignored.
      #expect(try store.recordOutcomes(job: job.id, [found(next[0].id, email: "late")]) == 0)

      let rest = try store.nextRequests(job: job.id, limit: 10)
      #expect(try store.unfinishedRequests(job: job.id) == 2)
      try store.markInFlight(job: job.id, rest.map(\.id))
      #expect(try store.unfinishedRequests(job: job.id) == 2)
      try store.recordOutcomes(job: job.id, rest.map { found($0.id) })
      #expect(try store.unfinishedRequests(job: job.id) == 0)
      let counts = try store.counts(job: job.id)
      #expect(counts.chunksByState[.done] == 3)
      #expect(counts.rowsByStatus[.found] == 4)
      #expect(counts.rowsByStatus[.notFound] == 1)
      #expect(counts.requestsByState[.done] == 4)
    }
  }

  @Test func transientFailuresGoBackToPending() throws {
    try withStore { store, _ throws in
      let job = try fiveRows(store)
      let first = try #require(try store.nextRequests(job: job.id, limit: 1).first)
      try store.markInFlight(job: job.id, [first.id])
      try store.recordOutcomes(
        job: job.id,
        [
          RequestOutcome(
            requestID: first.id, result: .retryLater(errorClass: "http-429", message: "slow down"))
        ])
      let again = try #require(try store.nextRequests(job: job.id, limit: 1).first)
      #expect(again.id == first.id)
      #expect(again.attempts == 1)
      try store.markInFlight(job: job.id, [again.id])
      try store.recordOutcomes(job: job.id, [found(again.id)])
      var attempts: [Int] = []
      try store.forEachRow(job: job.id) {
        if let o = $0.outcome, o.status == .found { attempts.append(o.attempts) }
      }
      #expect(attempts == [2, 2])
    }
  }

  @Test func markInFlightRefusesWhatIsNotPending() throws {
    try withStore { store, _ throws in
      let job = try fiveRows(store)
      let next = try store.nextRequests(job: job.id, limit: 2)
      try store.markInFlight(job: job.id, [next[0].id])
      #expect(throws: LeadsheetError.self) {
        try store.markInFlight(job: job.id, [next[1].id, next[0].id])
      }
      // All or nothing: next[1] is still pending.
      #expect(try store.nextRequests(job: job.id, limit: 1).first?.id == next[1].id)
    }
  }

  /// Close without finishing, reopen, recover: in-flight requests are resent or failed.
  @Test(arguments: [true, false])
  func crashWithRequestsInFlight(resend: Bool) throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let path = folder.path("jobs.sqlite")
    let id: JobID
    let sent: [PendingRequest]
    do {
      let store = try JobStore(path: path)
      id = try fiveRows(store).id
      try store.acquireLock(job: id, pid: try deadPID(), host: JobStore.currentHost)
      sent = try store.nextRequests(job: id, limit: 3)
      try store.markInFlight(job: id, sent.map(\.id))
      try store.recordOutcomes(job: id, [found(sent[0].id)])
      store.close()  // the process dies with sent[1], sent[2] in flight
    }
    let store = try JobStore(path: path)
    #expect(try store.counts(job: id).requestsByState[.inFlight] == 2)
    // The next process takes over the stale lock, then recovers.
    let stale = try store.acquireLock(job: id, pid: JobStore.currentPID, host: JobStore.currentHost)
    #expect(stale != nil)
    #expect(try store.recoverInFlight(job: id, resend: resend) == 2)
    #expect(try store.recoverInFlight(job: id, resend: resend) == 0)

    let counts = try store.counts(job: id)
    #expect(counts.requestsByState[.inFlight] == 0)
    let pending = try store.nextRequests(job: id, limit: 10).map(\.id)
    if resend {
      #expect(pending == [sent[1].id, sent[2].id, try #require(pending.last)])
      #expect(pending.count == 3)
      #expect(counts.resentAfterCrash == 2)
      #expect(try store.job(id)?.resentAfterCrash == 2)
    } else {
      #expect(pending.count == 1)
      #expect(counts.resentAfterCrash == 0)
      #expect(counts.rowsByStatus[.failed] == 2)
      var messages: [String] = []
      try store.forEachRow(job: id) { row in
        if row.status == .failed {
          messages.append(row.message ?? "")
          #expect(row.outcome?.errorClass == "interrupted")
        }
      }
      #expect(
        messages == ["interrupted: may have been billed", "interrupted: may have been billed"])
      // Chunk 0 (contacts 1, 2) has final outcomes for all rows.
      #expect(try store.chunkState(job: id, chunk: 0) == .done)
    }
  }

  @Test func retryFailedResetsOnlyFailedRequests() throws {
    try withStore { store, _ throws in
      let job = try makeJob(
        store, chunkSize: 2,
        rows: [
          row(2, contact: 1), row(3, contact: 2),
          IngestRow(line: 4, cells: [], plan: .invalid(code: "empty", message: "empty row")),
        ])
      let next = try store.nextRequests(job: job.id, limit: 10)
      try store.markInFlight(job: job.id, next.map(\.id))
      try store.recordOutcomes(
        job: job.id,
        [
          found(next[0].id),
          RequestOutcome(
            requestID: next[1].id,
            result: .failed(errorClass: "http-500", message: "server error")),
        ])
      try store.setState(job: job.id, to: .done)
      #expect(try store.counts(job: job.id).rowsByStatus[.failed] == 1)
      #expect(try store.chunkState(job: job.id, chunk: 0) == .done)

      #expect(try store.resetFailed(job: job.id) == 1)
      try store.setState(job: job.id, to: .running)
      #expect(try store.chunkState(job: job.id, chunk: 0) == .pending)
      #expect(try store.chunkState(job: job.id, chunk: 1) == .done)
      let retry = try store.nextRequests(job: job.id, limit: 10)
      #expect(retry.map(\.id) == [next[1].id])
      let counts = try store.counts(job: job.id)
      #expect(counts.rowsByStatus[.invalid] == 1)
      #expect(counts.rowsByStatus[.found] == 1)
      #expect(counts.rowsByStatus[.pending] == 1)
      #expect(counts.rowsByStatus[.failed] == 0)
    }
  }

  /// A request the API took asynchronously (an enrichment id, possibly billed) is never
  /// sent again by `--retry-failed`: its result is fetched by id.
  @Test func retryFailedNeverResendsASubmittedRequest() throws {
    try withStore { store, _ throws in
      let job = try makeJob(store, chunkSize: 10, rows: [row(2, contact: 1), row(3, contact: 2)])
      let next = try store.nextRequests(job: job.id, limit: 10)
      try store.markInFlight(job: job.id, next.map(\.id))
      try store.recordOutcomes(
        job: job.id,
        [
          RequestOutcome(
            requestID: next[0].id,
            result: .failed(errorClass: "submitted", message: "submitted as e-1, possibly billed"),
            enrichmentID: "e-1"),
          RequestOutcome(
            requestID: next[1].id, result: .failed(errorClass: "timeout", message: "timed out")),
        ])
      try store.setState(job: job.id, to: .done)
      #expect(try store.resetFailed(job: job.id) == 1)
      #expect(try store.nextRequests(job: job.id, limit: 10).map(\.id) == [next[1].id])
      #expect(try store.counts(job: job.id).rowsByStatus[.failed] == 1)
    }
  }
}

@Suite struct CrashImageTests {
  /// The database files copied in the middle of a write transaction are what
  /// a power loss would leave on disk: reopened, they hold exactly the
  /// committed state.
  @Test func filesCopiedMidTransactionHoldTheCommittedState() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let path = folder.path("jobs.sqlite")
    let store = try JobStore(path: path)
    let job = try makeJob(store, rows: (0..<50).map { row($0 + 2, contact: $0) })
    let sent = try store.nextRequests(job: job.id, limit: 10)
    try store.markInFlight(job: job.id, sent.map(\.id))
    try store.recordOutcomes(job: job.id, sent.prefix(4).map { found($0.id) })

    // An outcome batch being written when the power goes.
    try store.connection.execute("BEGIN IMMEDIATE")
    try store.connection.execute(
      "UPDATE requests SET state = 'done', status = 'found' WHERE state = 'inFlight'")
    let image = folder.path("image")
    try FileManager.default.createDirectory(atPath: image, withIntermediateDirectories: true)
    for suffix in ["", "-wal"] {
      try FileManager.default.copyItem(
        atPath: path + suffix, toPath: image + "/jobs.sqlite" + suffix)
    }
    try store.connection.execute("ROLLBACK")

    let reopened = try JobStore(path: image + "/jobs.sqlite")
    let counts = try reopened.counts(job: job.id)
    #expect(counts.rowsByStatus[.found] == 4)
    #expect(counts.requestsByState[.inFlight] == 6)
    #expect(try reopened.recoverInFlight(job: job.id, resend: true) == 6)
    #expect(try reopened.nextRequests(job: job.id, limit: 100).count == 46)
  }
}
