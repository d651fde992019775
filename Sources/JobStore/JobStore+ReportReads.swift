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
        q.contact_key, q.reused
      FROM rows r LEFT JOIN requests q ON q.id = r.request_id
      WHERE r.job_id = ? ORDER BY r.row_index
      """)
    try stmt.bind([.text(job.rawValue)])
    let decoder = JSONDecoder()
    while try stmt.step() {
      let (row, state) = try decodeRow(
        stmt, decoder: decoder, responseColumn: nil, reusedColumn: 24)
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
