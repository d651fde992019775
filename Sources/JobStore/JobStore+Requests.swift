import Foundation
import LeadsheetCore

/// A request the runner may send: its id in the store and its decoded body.
public struct PendingRequest: Sendable, Hashable {
  /// The request's id, for `markInFlight` and `recordOutcomes`.
  public var id: Int64
  /// The body to send.
  public var request: EnrichRequest
  /// How many times it was already marked in flight (0 for a first send).
  public var attempts: Int
  /// What the API already took or answered of it (ids to poll, parts answered):
  /// empty for a request never submitted.
  public var ledger: SubmissionLedger
  /// Types this request leaves for a later stage: its answer is not final (the
  /// store puts it back to pending and decides them at a later refill).
  public var deferred: [EnrichmentType] = []

  /// Creates a value (for tests and tools; the store makes them).
  public init(
    id: Int64, request: EnrichRequest, attempts: Int, ledger: SubmissionLedger? = nil
  ) {
    self.id = id
    self.request = request
    self.attempts = attempts
    self.ledger = ledger ?? SubmissionLedger(types: request.enrichmentType)
  }
}

/// What became of one request the runner sent.
public struct RequestOutcome: Sendable, Hashable {
  /// How the request ended.
  public enum Result: Sendable, Hashable {
    /// A 200 answer: `found` when `status` is `success`, `not_found` otherwise.
    ///
    /// `json` is the raw response body, kept for debugging and later columns.
    case response(EnrichResponse, json: String?)
    /// A final failure (4xx other than 429, retries exhausted): the rows become `failed`.
    ///
    /// `errorClass` is a short stable label (`http-422`, `timeout`, `decode`).
    case failed(errorClass: String, message: String)
    /// A transient failure (429, 5xx, timeout): back to `pending`, sent again later.
    case retryLater(errorClass: String, message: String)
    /// The API took part or all of the request and gave ids (or answered some
    /// parts): the ledger is stored with the request, so that no part is bought
    /// again. `complete`: nothing of it is being sent without an id any more, the
    /// request becomes `submitted` (its ids are polled, also after a crash);
    /// otherwise it stays in flight.
    case submitted(SubmissionLedger, complete: Bool)
  }

  /// The request's id.
  public var requestID: Int64
  /// How it ended.
  public var result: Result
  /// The time from sending to the answer, in milliseconds.
  public var latencyMilliseconds: Int?
  /// The API's enrichment id of a `failed` request the API did take (submitted,
  /// answered in an unknown shape), kept so its result can be fetched later.
  /// A `.response` carries its own id.
  public var enrichmentID: String?
  /// For a `failed` request the API still holds ids for: the answers of its other
  /// parts (the ledger's JSON), kept so that the next run neither loses nor buys them again.
  public var partialResults: String?

  /// Creates an outcome.
  public init(
    requestID: Int64, result: Result, latencyMilliseconds: Int? = nil, enrichmentID: String? = nil
  ) {
    self.requestID = requestID
    self.result = result
    self.latencyMilliseconds = latencyMilliseconds
    self.enrichmentID = enrichmentID
  }
}

extension JobStore {
  /// The message given to requests failed by `recoverInFlight(job:resend: false)`.
  public static let interruptedMessage = "interrupted: may have been billed"
}

// MARK: - Work selection

extension JobStore {
  /// Pending requests in send order: by rank for a job with `--order-by`
  /// (`rankRequests`), else in chunk order (lowest chunk first, then creation order).
  ///
  /// Ranked requests come first; any pending request without a rank (every
  /// request of a job in file order) follows in chunk order, so that none is
  /// ever left behind. For a job in file order the ranked query is one seek
  /// in an index that holds none of its requests.
  ///
  /// Requests in flight are never returned. The runner calls
  /// `markInFlight(job:_:)` with their ids before sending them.
  ///
  /// - Parameters:
  ///   - job: The job.
  ///   - limit: The most requests to return.
  /// - Returns: Up to `limit` requests with their ids and decoded bodies.
  /// - Throws: `LeadsheetError(.storage)`, also for a body that cannot be decoded.
  public func nextRequests(job: JobID, limit: Int) throws -> [PendingRequest] {
    try nextRequests(job: job, limit: limit, excluding: [])
  }

  /// `nextRequests(job:limit:)` without the requests `excluding` (handed out by the
  /// same refill, still pending) and without requests waiting for a claim.
  func nextRequests(job: JobID, limit: Int, excluding: [Int64]) throws -> [PendingRequest] {
    let skip = "[" + excluding.map(String.init).joined(separator: ",") + "]"
    let ranked = try connection.prepare(
      """
      SELECT id, body, attempts, contact_key, enrichment_id, response, reused, staged
      FROM requests
      WHERE job_id = ? AND state = 'pending' AND send_rank IS NOT NULL AND waits_on IS NULL
        AND id NOT IN (SELECT value FROM json_each(?))
      ORDER BY send_rank, id LIMIT ?
      """)
    try ranked.bind([.text(job.rawValue), .text(skip), .int(Int64(max(0, limit)))])
    var result = try pendingRequests(ranked, job: job)
    guard result.count < limit else { return result }
    let stmt = try connection.prepare(
      """
      SELECT id, body, attempts, contact_key, enrichment_id, response, reused, staged
      FROM requests
      WHERE job_id = ? AND state = 'pending' AND send_rank IS NULL AND waits_on IS NULL
        AND id NOT IN (SELECT value FROM json_each(?))
      ORDER BY first_chunk, id LIMIT ?
      """)
    try stmt.bind([
      .text(job.rawValue), .text(skip), .int(Int64(max(0, limit - result.count))),
    ])
    result += try pendingRequests(stmt, job: job)
    return result
  }

  /// The requests the API took and has not answered yet (`submitted`), with their
  /// ledgers: a run polls their ids before anything else, and never sends them again.
  public func submittedRequests(job: JobID) throws -> [PendingRequest] {
    let stmt = try connection.prepare(
      """
      SELECT id, body, attempts, contact_key, enrichment_id, response, reused, staged
      FROM requests WHERE job_id = ? AND state = 'submitted' ORDER BY first_chunk, id
      """)
    try stmt.bind([.text(job.rawValue)])
    return try pendingRequests(stmt, job: job, out: true)
  }

  /// Reads requests from a statement whose columns are `id, body, attempts,
  /// contact_key, enrichment_id, response, reused, staged`.
  ///
  /// A request asks for its stored types less those settled without buying them
  /// (reused, bought in an earlier stage, skipped); one that is `out` (submitted:
  /// its current stage at the API) also less the types it defers, so that its
  /// ledger's parts are read against the types that stage asked for.
  private func pendingRequests(_ stmt: Statement, job: JobID, out: Bool = false) throws
    -> [PendingRequest]
  {
    let decoder = JSONDecoder()
    var result: [PendingRequest] = []
    while try stmt.step() {
      guard var request = Self.storedRequest(stmt, body: 1, key: 3, decoder: decoder) else {
        throw LeadsheetError(
          .storage, file: path, "corrupt request \(stmt.int64(0)) in job \(job)",
          hint: "the database is damaged: purge the job and start again")
      }
      var deferred: [EnrichmentType] = []
      if !stmt.isNull(6) || !stmt.isNull(7) {
        let reused = ReusedAnswers(json: stmt.text(6))
        let staged = StagedAnswers(json: stmt.text(7))
        let asked = request.enrichmentType.filter { type in
          reused.answers[type] == nil && staged.earlier[type] == nil
            && staged.skipped[type] == nil && !(out && staged.deferred.contains(type))
        }
        if !asked.isEmpty { request.enrichmentType = asked }
        if out { deferred = staged.deferred }
      }
      let ledger = SubmissionLedger(
        types: request.enrichmentType, ids: stmt.text(4), results: stmt.text(5))
      var work = PendingRequest(
        id: stmt.int64(0), request: request, attempts: stmt.int(2), ledger: ledger)
      work.deferred = deferred
      result.append(work)
    }
    return result
  }

  /// Puts back to `submitted` the requests that ended `failed` while the API still
  /// worked on them (error class `submitted`: still pending at `--poll-timeout`, or
  /// left by a version that did not poll), so that this run polls their ids again.
  ///
  /// - Returns: The number of requests reopened.
  @discardableResult
  public func reopenSubmitted(job: JobID) throws -> Int {
    try connection.transaction {
      try connection.prepare(
        """
        UPDATE chunks SET state = 'running'
        WHERE job_id = ?1 AND chunk IN (
          SELECT r.row_index / j.chunk_size FROM requests q JOIN rows r ON r.request_id = q.id
            JOIN jobs j ON j.id = q.job_id
          WHERE q.job_id = ?1 AND q.state = 'done' AND q.status = 'failed'
            AND q.error_class = 'submitted' AND q.enrichment_id IS NOT NULL)
        """
      ).run([.text(job.rawValue)])
      try connection.prepare(
        """
        UPDATE requests SET state = 'submitted', status = NULL, finished_at = NULL
        WHERE job_id = ? AND state = 'done' AND status = 'failed'
          AND error_class = 'submitted' AND enrichment_id IS NOT NULL
        """
      ).run([.text(job.rawValue)])
      let count = connection.changes
      if count > 0 { try touch(job) }
      return count
    }
  }
}

extension JobStore {
  /// The request stored in a row of `requests`: its JSON `body`, or, when the
  /// body is empty (stored so when the key says it all), read back from
  /// `contact_key`. `nil` when neither can be read.
  static func storedRequest(
    _ stmt: Statement, body: Int32, key: Int32, decoder: JSONDecoder
  ) -> EnrichRequest? {
    let json = stmt.withBlob(body) { Data($0) }
    if !json.isEmpty { return try? decoder.decode(EnrichRequest.self, from: json) }
    return stmt.withBlob(key) { EnrichRequest(contactKey: $0) }
  }
}

// MARK: - Writing outcomes

extension JobStore {
  /// Records requests as in flight, in one committed transaction, *before* they are sent.
  ///
  /// Counts an attempt for each and moves their chunks to `running`. After a
  /// crash, `recoverInFlight(job:resend:)` knows exactly which requests may
  /// have been billed without an answer.
  ///
  /// - Throws: `LeadsheetError(.storage)` (nothing is marked) when one of the
  ///   ids is not a pending request of this job: do not send any of them.
  public func markInFlight(job: JobID, _ ids: [Int64]) throws {
    guard !ids.isEmpty else { return }
    let size = try chunkSize(job)
    let time = now().timeIntervalSince1970
    try connection.transaction {
      let mark = try connection.prepare(
        """
        UPDATE requests SET state = 'inFlight', attempts = attempts + 1, sent_at = ?
        WHERE id = ? AND job_id = ? AND state = 'pending'
        """)
      let chunks = try connection.prepare(
        """
        UPDATE chunks SET state = 'running'
        WHERE job_id = ?1 AND state = 'pending'
          AND chunk IN (SELECT row_index / ?2 FROM rows WHERE request_id = ?3)
        """)
      for id in ids {
        try mark.run([.double(time), .int(id), .text(job.rawValue)])
        guard connection.changes == 1 else {
          throw LeadsheetError(
            .storage, file: path, "request \(id) of job \(job) is not pending",
            hint: "another process may be running this job")
        }
        try chunks.run([.text(job.rawValue), .int(size), .int(id)])
      }
      try touch(job)
    }
  }

  /// Commits a small batch of outcomes in one transaction.
  ///
  /// Only requests in flight are updated: an outcome for any other request
  /// (already recovered, unknown) is ignored and not counted. Chunks whose
  /// rows all have a final outcome become `done`.
  ///
  /// - Returns: The number of outcomes applied.
  @discardableResult
  public func recordOutcomes(job: JobID, _ outcomes: [RequestOutcome]) throws -> Int {
    guard !outcomes.isEmpty else { return 0 }
    let size = try chunkSize(job)
    let time = now().timeIntervalSince1970
    let encoder = JSONEncoder()
    return try connection.transaction {
      let done = try connection.prepare(
        """
        UPDATE requests SET state = 'done', status = ?, email = ?, email_status = ?,
          personal_email = ?, personal_email_status = ?, phones = ?, phone_status = ?,
          message = ?, enrichment_id = ?, error_class = ?, latency_ms = ?, finished_at = ?,
          response = ?
        WHERE id = ? AND job_id = ? AND state IN ('inFlight', 'submitted')
        """)
      let retry = try connection.prepare(
        """
        UPDATE requests SET state = 'pending', error_class = ?, message = ?, latency_ms = ?
        WHERE id = ? AND job_id = ? AND state = 'inFlight'
        """)
      let submitted = try connection.prepare(
        """
        UPDATE requests SET enrichment_id = ?, response = ?,
          state = CASE WHEN ? THEN 'submitted' ELSE state END
        WHERE id = ? AND job_id = ? AND state IN ('inFlight', 'submitted')
        """)
      var applied = 0
      var finished: [Int64] = []
      var answers: [StoredAnswer] = []
      let bought = Date(timeIntervalSince1970: time)
      let boughtTime = bought
      let lookup = try connection.prepare(
        "SELECT body, contact_key, reused, staged FROM requests WHERE id = ?")
      // A first stage answered: the request goes back to pending, its answer kept.
      let staging = try connection.prepare(
        """
        UPDATE requests SET state = 'pending', staged = ?, enrichment_id = NULL,
          response = NULL, error_class = NULL, message = NULL, latency_ms = ?
        WHERE id = ? AND job_id = ? AND state IN ('inFlight', 'submitted')
        """)
      let unclaim = try connection.prepare("DELETE FROM claims WHERE request_id = ?")
      let decoder = JSONDecoder()
      for outcome in outcomes {
        let key: [SQLValue] = [.int(outcome.requestID), .text(job.rawValue)]
        let latency = SQLValue.optional(outcome.latencyMilliseconds)
        // Types taken from the contact store are merged into what was bought.
        var reused = ReusedAnswers()
        var staged = StagedAnswers()
        switch outcome.result {
        case .response, .failed:
          try lookup.bind([.int(outcome.requestID)])
          if try lookup.step() {
            reused = ReusedAnswers(json: lookup.text(2))
            staged = StagedAnswers(json: lookup.text(3))
          }
          lookup.reset()
        default: break
        }
        var stageAnswered = false
        switch outcome.result {
        case .response(let bought, _) where !staged.deferred.isEmpty:
          // Keep what this stage bought; the deferred types are decided at the next refill.
          stageAnswered = true
          var next = staged
          if var request = try Self.storedRequest(
            id: outcome.requestID, lookup: lookup, decoder: decoder)
          {
            request.enrichmentType.removeAll { staged.settles($0) || reused.answers[$0] != nil }
            next.keep(bought, types: request.enrichmentType, at: boughtTime, job: job)
          }
          try staging.run([.optional(next.json), latency] + key)
        case .response(let bought, let json):
          let r = staged.completed(reused.isEmpty ? bought : reused.merged(into: bought))
          let status: RowStatus = r.isFound ? .found : .notFound
          var phones = SQLValue.null
          if let list = r.phones {
            phones = .text(String(decoding: try encoder.encode(list.map(\.number)), as: UTF8.self))
          }
          try done.run(
            [
              .text(status.rawValue), .optional(r.email), .optional(r.emailStatus),
              .optional(r.personalEmail), .optional(r.personalEmailStatus), phones,
              .optional(r.phoneStatus), .optional(r.message), .optional(r.enrichmentID), .null,
              latency, .double(time), .optional(json),
            ] + key)
        case .failed(let errorClass, let message):
          // What earlier stages bought stays in the row (`--retry-failed` buys the rest).
          let kept = staged.earlier.isEmpty ? EnrichResponse() : staged.completed(nil)
          var phones = SQLValue.null
          if let list = kept.phones {
            phones = .text(String(decoding: try encoder.encode(list.map(\.number)), as: UTF8.self))
          }
          try done.run(
            [
              .text(RowStatus.failed.rawValue), .optional(kept.email), .optional(kept.emailStatus),
              .optional(kept.personalEmail), .optional(kept.personalEmailStatus), phones,
              .optional(kept.phoneStatus), .text(message), .optional(outcome.enrichmentID),
              .text(errorClass), latency, .double(time), .optional(outcome.partialResults),
            ] + key)
        case .retryLater(let errorClass, let message):
          try retry.run([.text(errorClass), .text(message), latency] + key)
        case .submitted(let ledger, let complete):
          try submitted.run(
            [.optional(ledger.idsText), .optional(ledger.resultsText), .int(complete ? 1 : 0)]
              + key)
        }
        if connection.changes == 1 {
          applied += 1
          if case .response(let response, _) = outcome.result,
            var request = try Self.storedRequest(
              id: outcome.requestID, lookup: lookup, decoder: decoder)
          {
            // Only what this request bought now: a reused answer keeps its own date,
            // an earlier stage's is stored already.
            request.enrichmentType.removeAll { reused.answers[$0] != nil || staged.settles($0) }
            answers += StoredAnswer.entries(of: request, answer: response, at: bought, job: job)
          }
          switch outcome.result {
          case .retryLater, .submitted: break
          case .response where stageAnswered: try unclaim.run([.int(outcome.requestID)])
          default:
            finished.append(outcome.requestID)
            try unclaim.run([.int(outcome.requestID)])
          }
        }
      }
      try completeChunks(job: job, size: size, requests: finished)
      // Every answer bought is kept for the next job that meets the same contact.
      try storeAnswers(answers)
      try touch(job)
      return applied
    }
  }

  /// After a crash: deals with the requests left in flight (sent or about to
  /// be sent, answer never recorded).
  ///
  /// Call it after `acquireLock(job:pid:host:)` and before the first
  /// `nextRequests`. With `resend: true` they go back to `pending` and are
  /// counted in the job's `resentAfterCrash`; with `resend: false`
  /// (`--no-resend-in-flight`) they become `failed` with the message
  /// "interrupted: may have been billed" and error class `interrupted`.
  ///
  /// - Returns: The number of requests that were in flight.
  @discardableResult
  public func recoverInFlight(job: JobID, resend: Bool) throws -> Int {
    let size = try chunkSize(job)
    let time = now().timeIntervalSince1970
    return try connection.transaction {
      let select = try connection.prepare(
        "SELECT id FROM requests WHERE job_id = ? AND state = 'inFlight'")
      try select.bind([.text(job.rawValue)])
      var ids: [Int64] = []
      while try select.step() { ids.append(select.int64(0)) }
      guard !ids.isEmpty else { return 0 }
      if resend {
        try connection.prepare(
          "UPDATE requests SET state = 'pending' WHERE job_id = ? AND state = 'inFlight'"
        ).run([.text(job.rawValue)])
        try connection.prepare(
          "UPDATE jobs SET resent_after_crash = resent_after_crash + ? WHERE id = ?"
        ).run([.int(Int64(ids.count)), .text(job.rawValue)])
      } else {
        try connection.prepare(
          """
          UPDATE requests SET state = 'done', status = 'failed', error_class = 'interrupted',
            message = ?, finished_at = ?
          WHERE job_id = ? AND state = 'inFlight'
          """
        ).run([.text(Self.interruptedMessage), .double(time), .text(job.rawValue)])
        try completeChunks(job: job, size: size, requests: ids)
      }
      try touch(job)
      return ids.count
    }
  }

  /// `--retry-failed`: puts failed requests back to `pending` (and their chunks).
  ///
  /// Rows planned `invalid` or `skipped` are not requests and stay as they
  /// are. A request failed as `submitted` (the API took it and gave an
  /// enrichment id: it may be billed, its result is fetched by id) is never
  /// put back: sending it again would buy the contact twice. Move the job
  /// back to `running` with `setState(job:to:)`.
  ///
  /// - Returns: The number of requests reset.
  @discardableResult
  public func resetFailed(job: JobID) throws -> Int {
    let size = try chunkSize(job)
    return try connection.transaction {
      try connection.prepare(
        """
        UPDATE chunks SET state = 'pending'
        WHERE job_id = ?1 AND chunk IN (
          SELECT r.row_index / ?2 FROM requests q JOIN rows r ON r.request_id = q.id
          WHERE q.job_id = ?1 AND q.state = 'done' AND q.status = 'failed'
            AND q.error_class IS NOT 'submitted')
        """
      ).run([.text(job.rawValue), .int(size)])
      try connection.prepare(
        """
        UPDATE requests SET state = 'pending', status = NULL, message = NULL,
          error_class = NULL, finished_at = NULL, latency_ms = NULL, response = NULL
        WHERE job_id = ? AND state = 'done' AND status = 'failed'
          AND error_class IS NOT 'submitted'
        """
      ).run([.text(job.rawValue)])
      let count = connection.changes
      try touch(job)
      return count
    }
  }

  /// Marks `done` the chunks holding rows of `requests` whose rows all have a
  /// final outcome (inside a caller's transaction).
  func completeChunks(job: JobID, size: Int64, requests: [Int64]) throws {
    guard !requests.isEmpty else { return }
    let chunksOf = try connection.prepare(
      "SELECT DISTINCT row_index / ? FROM rows WHERE request_id = ?")
    var chunks = Set<Int64>()
    for id in requests {
      try chunksOf.bind([.int(size), .int(id)])
      while try chunksOf.step() { chunks.insert(chunksOf.int64(0)) }
    }
    let unfinished = try connection.prepare(
      """
      SELECT EXISTS (
        SELECT 1 FROM rows r JOIN requests q ON q.id = r.request_id
        WHERE r.job_id = ?1 AND r.row_index >= ?2 AND r.row_index < ?3 AND q.state != 'done')
      """)
    let markDone = try connection.prepare(
      "UPDATE chunks SET state = 'done' WHERE job_id = ? AND chunk = ?")
    for chunk in chunks.sorted() {
      try unfinished.bind([.text(job.rawValue), .int(chunk * size), .int((chunk + 1) * size)])
      let open = try unfinished.step() && unfinished.int64(0) != 0
      unfinished.reset()
      if !open { try markDone.run([.text(job.rawValue), .int(chunk)]) }
    }
  }
}
