import Foundation
import LeadsheetCore

/// A request's stored outcome, as the output columns need it.
public struct StoredOutcome: Sendable, Hashable {
  /// `found`, `not_found` or `failed`; `pending` while the request is not done.
  public var status: RowStatus
  /// The professional email.
  public var email: String?
  /// Its validation status, as sent.
  public var emailStatus: String?
  /// The personal email.
  public var personalEmail: String?
  /// Its validation status, as sent.
  public var personalEmailStatus: String?
  /// Phone numbers, E.164.
  public var phones: [String]
  /// The phone status, as sent.
  public var phoneStatus: String?
  /// The API's message, or the failure's.
  public var message: String?
  /// The enrichment's id.
  public var enrichmentID: String?
  /// The failure's class (`http-422`, `timeout`, `interrupted`), when failed
  /// (or, while pending, of the last transient failure).
  public var errorClass: String?
  /// How many times the request was sent (marked in flight).
  public var attempts: Int
  /// The last answer's latency, in milliseconds.
  public var latencyMilliseconds: Int?
  /// When the final outcome was recorded.
  public var finishedAt: Date?
  /// The raw response body, when the runner kept it.
  public var responseJSON: String?
  /// The answers taken from the contact store instead of being bought (empty: all bought).
  public var reused: ReusedAnswers

  /// Creates a value (for tests and tools; the store makes them).
  public init(
    status: RowStatus, email: String? = nil, emailStatus: String? = nil,
    personalEmail: String? = nil, personalEmailStatus: String? = nil, phones: [String],
    phoneStatus: String? = nil, message: String? = nil, enrichmentID: String? = nil,
    errorClass: String? = nil, attempts: Int, latencyMilliseconds: Int? = nil,
    finishedAt: Date? = nil, responseJSON: String? = nil, reused: ReusedAnswers = ReusedAnswers()
  ) {
    self.status = status
    self.email = email
    self.emailStatus = emailStatus
    self.personalEmail = personalEmail
    self.personalEmailStatus = personalEmailStatus
    self.phones = phones
    self.phoneStatus = phoneStatus
    self.message = message
    self.enrichmentID = enrichmentID
    self.errorClass = errorClass
    self.attempts = attempts
    self.latencyMilliseconds = latencyMilliseconds
    self.finishedAt = finishedAt
    self.responseJSON = responseJSON
    self.reused = reused
  }
}

/// One row of a job, in order, with its plan and its request's outcome.
public struct JobRow: Sendable, Hashable {
  /// The 0-based position of the row in the job.
  public var index: Int
  /// The 1-based source line (CSV) or sheet row (XLSX).
  public var line: Int
  /// The original cells, exactly as ingested.
  public var cells: [Cell]
  /// The row's status for the `status` output column.
  public var status: RowStatus
  /// The reason code of an `invalid` row.
  public var reasonCode: String?
  /// The text for the `message` output column: the invalid or skipped
  /// reason, or the request's message.
  public var message: String?
  /// The request this row shares, if it has one.
  public var requestID: Int64?
  /// The request's outcome (`nil` for invalid and skipped rows).
  public var outcome: StoredOutcome?

  /// Creates a value (for tests and tools; the store makes them).
  public init(
    index: Int, line: Int, cells: [Cell], status: RowStatus, reasonCode: String? = nil,
    message: String? = nil, requestID: Int64? = nil, outcome: StoredOutcome? = nil
  ) {
    self.index = index
    self.line = line
    self.cells = cells
    self.status = status
    self.reasonCode = reasonCode
    self.message = message
    self.requestID = requestID
    self.outcome = outcome
  }
}

/// A job's progress and results, counted.
public struct JobCounts: Sendable, Hashable {
  /// Rows.
  public var rows: Int
  /// Rows by status (every status present, 0 when none).
  public var rowsByStatus: [RowStatus: Int]
  /// Requests by state (every state present).
  public var requestsByState: [RequestState: Int]
  /// Chunks by state (every state present).
  public var chunksByState: [ChunkState: Int]
  /// Rows whose contact repeats an earlier row's (sent once: credits saved).
  public var creditsSaved: Int
  /// Requests put back to pending after a crash.
  public var resentAfterCrash: Int

  /// Creates a value (for tests and tools; the store makes them).
  public init(
    rows: Int, rowsByStatus: [RowStatus: Int], requestsByState: [RequestState: Int],
    chunksByState: [ChunkState: Int], creditsSaved: Int, resentAfterCrash: Int
  ) {
    self.rows = rows
    self.rowsByStatus = rowsByStatus
    self.requestsByState = requestsByState
    self.chunksByState = chunksByState
    self.creditsSaved = creditsSaved
    self.resentAfterCrash = resentAfterCrash
  }
}

// MARK: - Reading rows

extension JobStore {
  /// Calls `body` with each row of the job in order, joined with its request's outcome.
  ///
  /// Streams through one prepared statement: memory stays constant for a
  /// million rows. Do not write to the store from `body` (read it first, or
  /// open a second `JobStore`).
  ///
  /// - Throws: what `body` throws, or `LeadsheetError(.storage)`.
  public func forEachRow(job: JobID, _ body: (JobRow) throws -> Void) throws {
    let stmt = try connection.prepare(
      """
      SELECT r.row_index, r.line, r.cells, r.plan, r.reason_code, r.reason_message,
        r.request_id, q.state, q.status, q.email, q.email_status, q.personal_email,
        q.personal_email_status, q.phones, q.phone_status, q.message, q.enrichment_id,
        q.error_class, q.attempts, q.latency_ms, q.finished_at, q.response, q.reused
      FROM rows r LEFT JOIN requests q ON q.id = r.request_id
      WHERE r.job_id = ? ORDER BY r.row_index
      """)
    try stmt.bind([.text(job.rawValue)])
    let decoder = JSONDecoder()
    while try stmt.step() {
      let (row, _) = try decodeRow(
        stmt, decoder: decoder, responseColumn: 21, reusedColumn: 22)
      try body(row)
    }
  }
}

extension JobStore {
  /// Decodes columns 0…20 of the row queries of `forEachRow` and `forEachReportRow`:
  /// `r.row_index, r.line, r.cells, r.plan, r.reason_code, r.reason_message, r.request_id,
  /// q.state, q.status, q.email, q.email_status, q.personal_email, q.personal_email_status,
  /// q.phones, q.phone_status, q.message, q.enrichment_id, q.error_class, q.attempts,
  /// q.latency_ms, q.finished_at`, the raw response from `responseColumn` if given, and
  /// the answers reused from the contact store from `reusedColumn`.
  ///
  /// - Returns: The row, and its request's state (`nil` for invalid and skipped rows).
  func decodeRow(
    _ stmt: Statement, decoder: JSONDecoder, responseColumn: Int32?, reusedColumn: Int32
  ) throws -> (JobRow, RequestState?) {
    let cells = try stmt.withBlob(2) { try CellCoding.decode($0) }
    var row = JobRow(
      index: stmt.int(0), line: stmt.int(1), cells: cells, status: .pending,
      reasonCode: stmt.text(4), message: stmt.text(5), requestID: nil, outcome: nil)
    switch stmt.text(3) ?? "" {
    case "invalid":
      row.status = .invalid
      return (row, nil)
    case "skipped":
      row.status = .skipped
      return (row, nil)
    default:
      break
    }
    row.requestID = stmt.isNull(6) ? nil : stmt.int64(6)
    let state = RequestState(rawValue: stmt.text(7) ?? "")
    let done = state == .done
    let status = done ? RowStatus(rawValue: stmt.text(8) ?? "") ?? .failed : .pending
    var phones: [String] = []
    if let text = stmt.text(13) {
      phones = (try? decoder.decode([String].self, from: Data(text.utf8))) ?? []
    }
    let outcome = StoredOutcome(
      status: status, email: stmt.text(9), emailStatus: stmt.text(10),
      personalEmail: stmt.text(11), personalEmailStatus: stmt.text(12), phones: phones,
      phoneStatus: stmt.text(14), message: stmt.text(15), enrichmentID: stmt.text(16),
      errorClass: stmt.text(17), attempts: stmt.int(18),
      latencyMilliseconds: stmt.optionalInt(19),
      finishedAt: stmt.isNull(20) ? nil : Date(timeIntervalSince1970: stmt.double(20)),
      responseJSON: responseColumn.flatMap { stmt.text($0) },
      reused: done && !stmt.isNull(reusedColumn)
        ? ReusedAnswers(json: stmt.text(reusedColumn)) : ReusedAnswers())
    row.status = status
    row.message = done ? outcome.message : nil
    row.outcome = outcome
    return (row, state)
  }
}

extension JobStore {
  /// Requests without a final outcome (pending or in flight).
  ///
  /// Cheaper than `counts(job:)`: the runner calls it to decide that a job
  /// is `done` (0 left, after `recoverInFlight`).
  public func unfinishedRequests(job: JobID) throws -> Int {
    Int(
      try connection.scalarInt(
        "SELECT count(*) FROM requests WHERE job_id = ? AND state != 'done'",
        [.text(job.rawValue)]))
  }

  /// The state of one chunk, or `nil` when the job has no such chunk.
  public func chunkState(job: JobID, chunk: Int) throws -> ChunkState? {
    let stmt = try connection.prepare("SELECT state FROM chunks WHERE job_id = ? AND chunk = ?")
    try stmt.bind([.text(job.rawValue), .int(Int64(chunk))])
    return try stmt.step() ? ChunkState(rawValue: stmt.text(0) ?? "") : nil
  }
}
