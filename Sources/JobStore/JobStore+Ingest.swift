import Foundation
import LeadsheetCore

/// What to do with one input row, decided by the caller (mapping and validation) at ingest.
public enum IngestPlan: Sendable, Hashable {
  /// Send this (normalised) request; rows with the same `contactKey` share one request.
  case request(EnrichRequest)
  /// Never sent: the row cannot make a valid request. `code` is a stable reason
  /// code (`missing-name`, `bad-linkedin-url`…), `message` the text for the output.
  case invalid(code: String, message: String)
  /// Not sent on purpose (`--only-missing`), with the reason for the output.
  case skipped(reason: String)

  /// The stored name of the plan: `request`, `invalid` or `skipped`.
  public var name: String {
    switch self {
    case .request: "request"
    case .invalid: "invalid"
    case .skipped: "skipped"
    }
  }
}

/// One input row and its plan, as the ingest stage hands it to the store.
public struct IngestRow: Sendable, Hashable {
  /// The 1-based source line (CSV) or sheet row (XLSX) where the row starts.
  public var line: Int
  /// The original cells, kept exactly for the output.
  public var cells: [Cell]
  /// What to do with the row.
  public var plan: IngestPlan

  /// Creates a row.
  public init(line: Int, cells: [Cell], plan: IngestPlan) {
    self.line = line
    self.cells = cells
    self.plan = plan
  }
}

/// What an ingest stored.
public struct IngestSummary: Sendable, Hashable {
  /// Rows stored.
  public var rows: Int
  /// Distinct requests created (what will be paid for at most).
  public var requests: Int
  /// Rows whose contact repeats an earlier row's: sent once, credits saved.
  public var duplicates: Int
  /// Rows planned `invalid`.
  public var invalid: Int
  /// Rows planned `skipped`.
  public var skipped: Int
  /// Chunks made.
  public var chunks: Int

  /// Creates a value (for tests and tools; the store makes them).
  public init(rows: Int, requests: Int, duplicates: Int, invalid: Int, skipped: Int, chunks: Int) {
    self.rows = rows
    self.requests = requests
    self.duplicates = duplicates
    self.invalid = invalid
    self.skipped = skipped
    self.chunks = chunks
  }
}

/// Streams rows into a job in batched transactions; made by `JobStore.beginIngest(job:batchSize:)`.
///
/// Memory stays constant whatever the input size: rows are written as they
/// come, duplicates are found through the unique index on
/// `(job_id, contact_key)`, not an in-memory set. A batch is committed every
/// `batchSize` rows; rows of a batch not yet committed are lost if the process
/// dies, which leaves the job `ingesting` (incomplete: fail or purge it).
/// Not `Sendable`: use it where the store is used.
public final class JobIngestWriter {
  private let store: JobStore
  /// The job being filled.
  public let job: JobID
  private let chunkSize: Int
  private let batchSize: Int
  private let encoder: JSONEncoder
  private let findRequest: Statement
  private let insertRequest: Statement
  private let insertRow: Statement
  private let insertChunk: Statement
  private var inTransaction = false
  private var finished = false
  private var rowsInBatch = 0
  private var chunkNeedsRequests = false
  private var summary = IngestSummary(
    rows: 0, requests: 0, duplicates: 0, invalid: 0, skipped: 0, chunks: 0)

  init(store: JobStore, job: JobID, chunkSize: Int, batchSize: Int) throws {
    self.store = store
    self.job = job
    self.chunkSize = chunkSize
    self.batchSize = max(1, batchSize)
    encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let c = store.connection
    findRequest = try c.prepare("SELECT id FROM requests WHERE job_id = ? AND contact_key = ?")
    insertRequest = try c.prepare(
      "INSERT INTO requests (job_id, contact_key, body, first_chunk) VALUES (?, ?, ?, ?)")
    insertRow = try c.prepare(
      """
      INSERT INTO rows (job_id, row_index, line, cells, plan, request_id, reason_code,
        reason_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      """)
    insertChunk = try c.prepare("INSERT INTO chunks (job_id, chunk, state) VALUES (?, ?, ?)")
  }

  deinit {
    if inTransaction { try? store.connection.execute("ROLLBACK") }
  }

  /// Stores one row (committing a batch every `batchSize` rows).
  ///
  /// - Throws: `LeadsheetError(.storage)`; the current batch is then rolled back.
  public func append(_ row: IngestRow) throws {
    precondition(!finished, "append after finish")
    do {
      try appendUnchecked(row)
    } catch {
      if inTransaction { try? store.connection.execute("ROLLBACK") }
      inTransaction = false
      throw error
    }
  }

  private func appendUnchecked(_ row: IngestRow) throws {
    if !inTransaction {
      try store.connection.execute("BEGIN IMMEDIATE")
      inTransaction = true
    }
    let index = summary.rows
    let chunk = index / chunkSize
    if index > 0, index % chunkSize == 0 { try closeChunk(chunk - 1) }

    var requestID: SQLValue = .null
    var reasonCode: SQLValue = .null
    var reasonMessage: SQLValue = .null
    switch row.plan {
    case .request(let request):
      chunkNeedsRequests = true
      let key = request.contactKey
      try findRequest.bind([.text(job.rawValue), .text(key)])
      if try findRequest.step() {
        requestID = .int(findRequest.int64(0))
        summary.duplicates += 1
      } else {
        let body = String(decoding: try encoder.encode(request), as: UTF8.self)
        try insertRequest.run([.text(job.rawValue), .text(key), .text(body), .int(Int64(chunk))])
        requestID = .int(store.connection.lastInsertRowID)
        summary.requests += 1
      }
      findRequest.reset()
    case .invalid(let code, let message):
      reasonCode = .text(code)
      reasonMessage = .text(message)
      summary.invalid += 1
    case .skipped(let reason):
      reasonMessage = .text(reason)
      summary.skipped += 1
    }
    try insertRow.run([
      .text(job.rawValue), .int(Int64(index)), .int(Int64(row.line)),
      .blob(CellCoding.encode(row.cells)), .text(row.plan.name), requestID, reasonCode,
      reasonMessage,
    ])
    summary.rows += 1
    rowsInBatch += 1
    if rowsInBatch >= batchSize { try commitBatch() }
  }

  /// Inserts the chunk's row: `done` already when none of its rows needs a request.
  private func closeChunk(_ chunk: Int) throws {
    try insertChunk.run([
      .text(job.rawValue), .int(Int64(chunk)),
      .text(chunkNeedsRequests ? ChunkState.pending.rawValue : ChunkState.done.rawValue),
    ])
    chunkNeedsRequests = false
    summary.chunks += 1
  }

  private func commitBatch() throws {
    try store.connection.prepare("UPDATE jobs SET row_count = ?, updated_at = ? WHERE id = ?")
      .run([
        .int(Int64(summary.rows)), .double(store.now().timeIntervalSince1970),
        .text(job.rawValue),
      ])
    try store.connection.execute("COMMIT")
    inTransaction = false
    rowsInBatch = 0
  }

  /// Commits the last rows, closes the last chunk and moves the job to `running`.
  ///
  /// - Returns: What was stored.
  public func finish() throws -> IngestSummary {
    precondition(!finished, "finish called twice")
    do {
      if !inTransaction {
        try store.connection.execute("BEGIN IMMEDIATE")
        inTransaction = true
      }
      if summary.rows > 0 { try closeChunk((summary.rows - 1) / chunkSize) }
      try store.connection.prepare(
        """
        UPDATE jobs SET row_count = ?, ingested_at = ?, updated_at = ?, state = 'running'
        WHERE id = ? AND state = 'ingesting'
        """
      ).run([
        .int(Int64(summary.rows)), .double(store.now().timeIntervalSince1970),
        .double(store.now().timeIntervalSince1970), .text(job.rawValue),
      ])
      guard store.connection.changes == 1 else {
        throw LeadsheetError(.usage, "job \(job) is no longer ingesting")
      }
      try store.connection.execute("COMMIT")
      inTransaction = false
      finished = true
      return summary
    } catch {
      if inTransaction { try? store.connection.execute("ROLLBACK") }
      inTransaction = false
      throw error
    }
  }
}

// MARK: - Ingest

extension JobStore {
  /// Starts streaming rows into a job that is `ingesting`.
  ///
  ///     let writer = try store.beginIngest(job: job.id)
  ///     for row in rows { try writer.append(row) }
  ///     let summary = try writer.finish()   // the job is now `running`
  ///
  /// - Parameters:
  ///   - job: A job in state `ingesting` with no rows yet.
  ///   - batchSize: Rows per transaction (2,000 by default: large enough that
  ///     the per-commit fsync does not matter, small enough to keep the WAL small).
  /// - Returns: The writer; call `finish()` after the last row.
  /// - Throws: `LeadsheetError(.notFound)` / `(.usage)` for an unknown job or one
  ///   that is not `ingesting` or already has rows.
  public func beginIngest(job: JobID, batchSize: Int = 2_000) throws -> JobIngestWriter {
    let stored = try requireJob(job)
    guard stored.state == .ingesting else {
      throw LeadsheetError(.usage, "job \(job) is \(stored.state), not ingesting")
    }
    let rows = try connection.scalarInt(
      "SELECT count(*) FROM rows WHERE job_id = ?", [.text(job.rawValue)])
    guard rows == 0 else {
      throw LeadsheetError(
        .usage, "job \(job) already has rows from an interrupted ingest",
        hint: "purge it and start again")
    }
    return try JobIngestWriter(
      store: self, job: job, chunkSize: stored.spec.chunkSize, batchSize: batchSize)
  }

  /// Stores every row of `rows` into a job that is `ingesting`, then moves it to `running`.
  ///
  /// - Returns: What was stored.
  @discardableResult
  public func ingest(job id: JobID, rows: some Sequence<IngestRow>, batchSize: Int = 2_000)
    throws -> IngestSummary
  {
    let writer = try beginIngest(job: id, batchSize: batchSize)
    for row in rows { try writer.append(row) }
    return try writer.finish()
  }
}
