import Foundation
import LeadsheetCore

/// One row of a job as the coverage report reads it: the row, its request's
/// body and where the request stands.
public struct ReportRow: Sendable, Hashable {
  /// The row with its status and its request's outcome, as `forEachRow(job:_:)` gives it.
  public var row: JobRow
  /// The request body this row shares (`nil` for invalid and skipped rows, or
  /// a body that cannot be decoded).
  public var request: EnrichRequest?
  /// The request's state (`nil` for invalid and skipped rows).
  public var requestState: RequestState?
  /// Whether this is the first row (lowest index) pointing at its request.
  ///
  /// Counting only these rows counts each request once, without keeping a set
  /// of request ids in memory.
  public var isFirstRowOfRequest: Bool

  /// Creates a value (for tests and tools; the store makes them).
  public init(
    row: JobRow, request: EnrichRequest?, requestState: RequestState?,
    isFirstRowOfRequest: Bool
  ) {
    self.row = row
    self.request = request
    self.requestState = requestState
    self.isFirstRowOfRequest = isFirstRowOfRequest
  }
}

// MARK: - Reading rows for the report

extension JobStore {
  /// Calls `body` with each row of the job in order, with its request's body and state.
  ///
  /// Like `forEachRow(job:_:)` (one prepared statement, constant memory), plus
  /// what the report needs: the decoded `EnrichRequest` (which fields the row
  /// could send), the request's state (`inFlight` requests may have been
  /// billed) and whether the row is the first of its request. The raw
  /// response JSON is not read.
  ///
  /// - Throws: what `body` throws, or `LeadsheetError(.storage)`.
  public func forEachReportRow(job: JobID, _ body: (ReportRow) throws -> Void) throws {
    let stmt = try connection.prepare(
      """
      SELECT r.row_index, r.line, r.cells, r.plan, r.reason_code, r.reason_message,
        r.request_id, q.state, q.status, q.email, q.email_status, q.personal_email,
        q.personal_email_status, q.phones, q.phone_status, q.message, q.enrichment_id,
        q.error_class, q.attempts, q.latency_ms, q.finished_at, q.body,
        r.row_index = (SELECT min(f.row_index) FROM rows f WHERE f.request_id = r.request_id),
        q.contact_key
      FROM rows r LEFT JOIN requests q ON q.id = r.request_id
      WHERE r.job_id = ? ORDER BY r.row_index
      """)
    try stmt.bind([.text(job.rawValue)])
    let decoder = JSONDecoder()
    while try stmt.step() {
      let (row, state) = try decodeRow(stmt, decoder: decoder, responseColumn: nil)
      var request: EnrichRequest?
      var first = false
      if state != nil {
        request = Self.storedRequest(stmt, body: 21, key: 23, decoder: decoder)
        first = stmt.int(22) != 0
      }
      try body(
        ReportRow(row: row, request: request, requestState: state, isFirstRowOfRequest: first))
    }
  }
}

/// A request the API answered (found or not found): what it asked for and when.
///
/// The account's bill is compared with leadsheet's count run by run: a request
/// is counted in the run during which its answer was recorded (`finishedAt`).
public struct AnsweredRequest: Sendable, Hashable {
  /// The request as stored (`nil` when its body cannot be decoded).
  public var request: EnrichRequest?
  /// When its answer was recorded (`nil` for outcomes stored without a time).
  public var finishedAt: Date?

  /// Creates a value (for tests and tools; the store makes them).
  public init(request: EnrichRequest?, finishedAt: Date?) {
    self.request = request
    self.finishedAt = finishedAt
  }
}

// MARK: - Reading answered requests

extension JobStore {
  /// Calls `body` with each answered request of the job (found or not found), in id order.
  ///
  /// Reads the `requests` table only (no rows, no response JSON): cheap enough
  /// for `leadsheet status`, which counts the credits of these requests run by run.
  ///
  /// - Throws: what `body` throws, or `LeadsheetError(.storage)`.
  public func forEachAnsweredRequest(job: JobID, _ body: (AnsweredRequest) throws -> Void)
    throws
  {
    let stmt = try connection.prepare(
      """
      SELECT body, finished_at, contact_key FROM requests
      WHERE job_id = ? AND state = 'done' AND status IN ('found', 'not_found') ORDER BY id
      """)
    try stmt.bind([.text(job.rawValue)])
    let decoder = JSONDecoder()
    while try stmt.step() {
      try body(
        AnsweredRequest(
          request: Self.storedRequest(stmt, body: 0, key: 2, decoder: decoder),
          finishedAt: stmt.isNull(1) ? nil : Date(timeIntervalSince1970: stmt.double(1))))
    }
  }
}
