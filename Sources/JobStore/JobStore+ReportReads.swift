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
        r.row_index = (SELECT min(f.row_index) FROM rows f WHERE f.request_id = r.request_id)
      FROM rows r LEFT JOIN requests q ON q.id = r.request_id
      WHERE r.job_id = ? ORDER BY r.row_index
      """)
    try stmt.bind([.text(job.rawValue)])
    let decoder = JSONDecoder()
    while try stmt.step() {
      let cells = try stmt.withBlob(2) { try CellCoding.decode($0) }
      let plan = stmt.text(3) ?? ""
      var row = JobRow(
        index: stmt.int(0), line: stmt.int(1), cells: cells, status: .pending,
        reasonCode: stmt.text(4), message: stmt.text(5), requestID: nil, outcome: nil)
      var request: EnrichRequest?
      var state: RequestState?
      var first = false
      switch plan {
      case "invalid": row.status = .invalid
      case "skipped": row.status = .skipped
      default:
        row.requestID = stmt.isNull(6) ? nil : stmt.int64(6)
        state = RequestState(rawValue: stmt.text(7) ?? "")
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
          finishedAt: stmt.isNull(20) ? nil : Date(timeIntervalSince1970: stmt.double(20)))
        row.status = status
        row.message = done ? outcome.message : nil
        row.outcome = outcome
        if let text = stmt.text(21) {
          request = try? decoder.decode(EnrichRequest.self, from: Data(text.utf8))
        }
        first = stmt.int(22) != 0
      }
      try body(
        ReportRow(row: row, request: request, requestState: state, isFirstRowOfRequest: first))
    }
  }
}
