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
  /// Distinct requests including each type.
  public var requestsByType: [EnrichmentType: Int] = [:]

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

/// One input row encoded for the store: cells, contact key and request body as bytes.
///
/// A request's `body` is stored empty when its contact key gives the request
/// back (`EnrichRequest.isDescribedByContactKey`: no `custom` fields, nearly
/// every list): the store reads it back from `contact_key`.
///
/// Made on the reading thread (`init(_:)`), so that the thread writing to
/// SQLite only binds bytes: the cells in `CellCoding`, the request as
/// `RequestBody` JSON, the contact key's UTF-8 and its digest.
public struct EncodedIngestRow: Sendable {
  enum Plan: Sendable {
    /// `types`: bit i set for `EnrichmentType.allCases[i]`.
    case request(key: [UInt8], body: [UInt8], digest: ContactDigest, types: UInt8)
    case invalid(code: String, message: String)
    case skipped(reason: String)
  }

  /// The 1-based source line (CSV) or sheet row (XLSX) where the row starts.
  public let line: Int
  let cells: [UInt8]
  let plan: Plan

  /// Encodes a row.
  public init(_ row: IngestRow) {
    line = row.line
    cells = CellCoding.encode(row.cells)
    switch row.plan {
    case .request(let request):
      let key = request.contactKeyBytes
      let digest = key.withUnsafeBytes { ContactDigest(bytes: $0) }
      // The body is stored only when the key cannot give the request back.
      let body = request.isDescribedByContactKey ? [] : RequestBody.encode(request)
      plan = .request(
        key: key, body: body, digest: digest, types: IngestTypeCounts.mask(request.enrichmentType))
    case .invalid(let code, let message): plan = .invalid(code: code, message: message)
    case .skipped(let reason): plan = .skipped(reason: reason)
    }
  }
}

/// When an ingest commits.
///
/// A transaction always ends at a chunk boundary, so that every committed
/// request's chunk is whole: a runner working on the committed rows while
/// the ingest goes on (`enrich` starts sending at once) never sees a chunk
/// grow. It ends at the first boundary after `rows` rows, or, with an
/// `interval`, after that many seconds (the first transaction after its
/// first chunk, so that the first requests can leave at once).
public struct IngestPacing: Sendable, Hashable {
  /// The most rows in one transaction (rounded up to a chunk boundary).
  public var rows: Int
  /// Seconds after which a transaction ends at the next chunk boundary; `nil`: rows only.
  public var interval: Double?

  /// Creates a pacing.
  public init(rows: Int, interval: Double? = nil) {
    self.rows = max(1, rows)
    self.interval = interval
  }

  /// 2,000 rows per transaction, no interval (tests and tools).
  public static let standard = IngestPacing(rows: 2_000)
  /// For a job that runs while it is ingested: large transactions (one WAL
  /// fsync per 100,000 rows at most), each at most a quarter of a second.
  public static let live = IngestPacing(rows: 100_000, interval: 0.25)
}

/// Streams rows into a job in transactions that end at chunk boundaries; made by
/// `JobStore.beginIngest(job:pacing:)` or `JobStore.continueIngest(job:pacing:)`.
///
/// Duplicates are found in memory (`ContactDigestTable`: a 128-bit digest of
/// the contact key per distinct request, 16 bytes each), rows and requests
/// are inserted through statements prepared once with bytes bound in place.
/// Rows of a transaction not yet committed are lost if the process dies,
/// which leaves the job `ingesting` with whole chunks: `continueIngest`
/// carries on after the last of them. Not `Sendable`: use it where the store
/// is used.
public final class JobIngestWriter {
  private let store: JobStore
  /// The job being filled.
  public let job: JobID
  private let chunkSize: Int
  private let pacing: IngestPacing
  private let batch: IngestInsertBatch
  private let insertChunk: Statement
  private let updateCount: Statement
  private var digests: ContactDigestTable
  private var requestBase: Int64?
  /// The id the next new request gets (set when a transaction begins).
  private var nextRequestID: Int64 = 1
  private var inTransaction = false
  private var finished = false
  private var rowsInBatch = 0
  private var batchStarted = 0.0
  private var commits = 0
  private var chunkNeedsRequests = false
  /// Chunks holding a row whose request belongs to an earlier chunk: their
  /// state may be stale if a runner worked on that request meanwhile.
  private var backReferencing: [Int] = []
  /// The last request inserted (ids grow), and the last one before the current chunk.
  private var lastRequest: Int64
  private var lastRequestAtChunkStart: Int64 = 0
  private var settleCommittedChunks: Bool
  private var summary: IngestSummary
  private var typeCounts: IngestTypeCounts
  /// Called after each commit with what is stored so far (on the writer's thread).
  public var onCommit: ((IngestSummary) -> Void)?
  /// The input file's size, to size the digest table once the first rows tell the
  /// bytes per row (0: not known, or a continued ingest whose table is sized already).
  private let inputSize: Int64
  /// Encoded cell bytes of the rows seen before the table is sized.
  private var sampledBytes = 0
  /// Rows after which the table is sized from the file size.
  static let sizingSample = 4_096
  /// `--order-by`: when set, `finish()` ranks the job's requests in its last
  /// transaction, so that the job is `running` only with its send order in place.
  public var order: RequestOrder?

  init(
    store: JobStore, job: JobID, chunkSize: Int, pacing: IngestPacing,
    resumedFrom summary: IngestSummary, typeCounts: IngestTypeCounts,
    digests: ContactDigestTable, requestBase: Int64?, lastRequest: Int64, inputSize: Int64 = 0
  ) throws {
    self.inputSize = inputSize
    self.typeCounts = typeCounts
    self.lastRequest = lastRequest
    self.store = store
    self.job = job
    self.chunkSize = chunkSize
    self.pacing = pacing
    self.summary = summary
    self.digests = digests
    self.requestBase = requestBase
    settleCommittedChunks = summary.rows > 0
    let c = store.connection
    batch = try IngestInsertBatch(connection: c, job: job)
    insertChunk = try c.prepare("INSERT INTO chunks (job_id, chunk, state) VALUES (?, ?, ?)")
    updateCount = try c.prepare("UPDATE jobs SET row_count = ?, updated_at = ? WHERE id = ?")
  }

  deinit {
    if inTransaction {
      try? store.connection.execute("ROLLBACK")
      try? store.connection.execute("PRAGMA foreign_keys = ON")
      WriteTurn.shared.ingestEnded()
    }
  }

  /// Rows stored so far, committed or not.
  public var rowsAppended: Int { summary.rows }

  /// What is stored so far, with the requests counted by type.
  private var snapshot: IngestSummary {
    var s = summary
    s.requestsByType = typeCounts.byType
    return s
  }

  /// Stores one row.
  ///
  /// - Throws: `LeadsheetError(.storage)`; the open transaction is then rolled back.
  public func append(_ row: IngestRow) throws {
    try append(EncodedIngestRow(row))
  }

  /// Stores one encoded row (committing at chunk boundaries as `pacing` says).
  ///
  /// - Throws: `LeadsheetError(.storage)`; the open transaction is then rolled back.
  public func append(_ row: EncodedIngestRow) throws {
    precondition(!finished, "append after finish")
    do {
      try appendUnchecked(row)
    } catch {
      rollback()
      throw error
    }
  }

  private func rollback() {
    batch.discard()
    if inTransaction {
      try? store.connection.execute("ROLLBACK")
      try? store.connection.execute("PRAGMA foreign_keys = ON")
      inTransaction = false
      WriteTurn.shared.ingestEnded()
    }
  }

  /// Opens a transaction, with foreign keys unchecked while it lasts.
  ///
  /// The writer gives new requests their ids itself (the next after the
  /// largest in the table, read once the transaction holds the write lock),
  /// so a batch of rows can refer to requests inserted with it; it inserts a
  /// row only for its own job and after the requests it refers to, which is
  /// what the foreign keys would check, once per row, in two indexes.
  private func begin() throws {
    WriteTurn.shared.ingestWillBegin()
    try store.connection.execute("PRAGMA foreign_keys = OFF")
    try store.connection.execute("BEGIN IMMEDIATE")
    WriteTurn.shared.ingestBegan()
    inTransaction = true
    nextRequestID = try store.connection.scalarInt("SELECT coalesce(max(id), 0) FROM requests") + 1
    rowsInBatch = 0
    batchStarted = JobStore.monotonicSeconds()
  }

  /// Sizes the digest table for the rows the file should hold: its size over the
  /// bytes per row of the first rows (cells encoded take about what the file spends
  /// on them, so this errs high by the delimiters: headroom, not a second doubling).
  /// Capped at 3 million rows (a 64 MB table): a file that holds more grows it as before,
  /// and a first sample much shorter than the rest cannot reserve more than that.
  private func sizeDigestTable() {
    guard sampledBytes > 0 else { return }
    let perRow = Double(sampledBytes) / Double(Self.sizingSample)
    let expected = min(Double(inputSize) / perRow, 3_000_000)
    digests.reserve(capacity: Int(expected))
  }

  /// Ends the open transaction with `COMMIT` and checks foreign keys again.
  private func commitTransaction() throws {
    try batch.flush()
    try store.connection.execute("COMMIT")
    inTransaction = false
    try store.connection.execute("PRAGMA foreign_keys = ON")
    WriteTurn.shared.ingestEnded()
  }

  private func appendUnchecked(_ row: EncodedIngestRow) throws {
    let index = summary.rows
    if inputSize > 0, index < Self.sizingSample {
      sampledBytes += row.cells.count
      if index == Self.sizingSample - 1 { sizeDigestTable() }
    }
    let chunk = index / chunkSize
    // The previous chunk is closed here, unless a continued ingest starts at this boundary.
    if index > 0, index % chunkSize == 0, summary.chunks < chunk {
      try closeChunk(chunk - 1)
      if inTransaction, batchIsFull() { try commit() }
    }
    if !inTransaction { try begin() }
    if index % chunkSize == 0 { lastRequestAtChunkStart = lastRequest }
    var requestID: Int64?
    var reasonCode: String?
    var reasonMessage: String?
    let planName: IngestPlanName
    switch row.plan {
    case .request(let key, let body, let digest, let types):
      planName = .request
      chunkNeedsRequests = true
      if let offset = digests.find(digest), let base = requestBase {
        let id = base + Int64(offset)
        requestID = id
        summary.duplicates += 1
        if id <= lastRequestAtChunkStart, backReferencing.last != chunk {
          backReferencing.append(chunk)
        }
      } else {
        let id = nextRequestID
        nextRequestID += 1
        batch.addRequest(id: id, key: key, body: body, chunk: chunk)
        let base = requestBase ?? id
        requestBase = base
        guard id - base >= 0, id - base < Int64(UInt32.max) else {
          throw LeadsheetError(
            .storage, file: store.path, "request ids of job \(job) are out of order",
            hint: "purge the job and start again")
        }
        digests.insert(digest, offset: UInt32(id - base))
        lastRequest = id
        requestID = id
        summary.requests += 1
        typeCounts.add(types)
      }
    case .invalid(let code, let message):
      planName = .invalid
      reasonCode = code
      reasonMessage = message
      summary.invalid += 1
    case .skipped(let reason):
      planName = .skipped
      reasonMessage = reason
      summary.skipped += 1
    }
    batch.addRow(
      index: index, line: row.line, cells: row.cells, plan: planName, requestID: requestID,
      reasonCode: reasonCode, reasonMessage: reasonMessage)
    if batch.isFull { try batch.flush() }
    summary.rows += 1
    rowsInBatch += 1
  }

  private func bindText(_ text: String, _ statement: Statement, _ index: Int32) throws {
    try statement.bind(.text(text), at: index)
  }

  /// Whether the open transaction should end at this chunk boundary.
  private func batchIsFull() -> Bool {
    if rowsInBatch >= pacing.rows { return true }
    guard let interval = pacing.interval else { return false }
    // The first transaction ends after its first chunk: the runner may start at once.
    if commits == 0 { return true }
    return JobStore.monotonicSeconds() - batchStarted >= interval
  }

  /// Inserts the chunk's row: `done` already when none of its rows needs a request.
  private func closeChunk(_ chunk: Int) throws {
    if !inTransaction { try begin() }
    try bindText(job.rawValue, insertChunk, 1)
    try insertChunk.bindInt(Int64(chunk), at: 2)
    try bindText(
      chunkNeedsRequests ? ChunkState.pending.rawValue : ChunkState.done.rawValue, insertChunk, 3)
    try insertChunk.runBound()
    chunkNeedsRequests = false
    summary.chunks += 1
  }

  private func commit() throws {
    try updateCount.bindInt(Int64(summary.rows), at: 1)
    try updateCount.bind(.double(store.now().timeIntervalSince1970), at: 2)
    try bindText(job.rawValue, updateCount, 3)
    try updateCount.runBound()
    try commitTransaction()
    commits += 1
    onCommit?(snapshot)
  }

  /// Commits what is stored and stops, leaving the job `ingesting` (Ctrl-C during a live ingest).
  ///
  /// The rows after the last whole chunk are dropped; `continueIngest` reads them again.
  public func suspend() throws {
    precondition(!finished, "suspend after finish")
    finished = true
    if summary.rows % chunkSize != 0 {
      rollback()
      return
    }
    if summary.rows > 0, summary.chunks < summary.rows / chunkSize {
      try closeChunk(summary.rows / chunkSize - 1)
    }
    if inTransaction { try commit() }
  }

  /// Commits the last rows, closes the last chunk and moves the job to `running`.
  ///
  /// - Returns: What was stored.
  public func finish() throws -> IngestSummary {
    precondition(!finished, "finish called twice")
    do {
      if !inTransaction { try begin() }
      if summary.rows > 0, summary.chunks < (summary.rows + chunkSize - 1) / chunkSize {
        try closeChunk((summary.rows - 1) / chunkSize)
      }
      try batch.flush()  // settling reads the rows
      try settleChunks()
      if let order { _ = try store.writeRanks(job: job, order: order) }
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
      try commitTransaction()
      finished = true
      onCommit?(snapshot)
      return snapshot
    } catch {
      rollback()
      throw error
    }
  }

  /// Recomputes the state of the chunks a runner may have changed while the
  /// ingest went on: those with rows of earlier chunks' requests, and, after
  /// an interrupted ingest, every chunk stored before it.
  private func settleChunks() throws {
    var chunks = backReferencing
    if settleCommittedChunks {
      let stmt = try store.connection.prepare(
        "SELECT chunk FROM chunks WHERE job_id = ? AND state != 'done' ORDER BY chunk")
      try stmt.bind([.text(job.rawValue)])
      var all: [Int] = []
      while try stmt.step() { all.append(stmt.int(0)) }
      chunks = Array(Set(all + chunks)).sorted()
    }
    guard !chunks.isEmpty else { return }
    try store.settleChunkStates(job: job, size: Int64(chunkSize), chunks: chunks)
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
  ///   - pacing: When to commit (`IngestPacing.standard` by default: every 2,000
  ///     rows, at the next chunk boundary).
  /// - Returns: The writer; call `finish()` after the last row.
  /// - Throws: `LeadsheetError(.notFound)` / `(.usage)` for an unknown job or one
  ///   that is not `ingesting` or already has rows.
  public func beginIngest(job: JobID, pacing: IngestPacing = .standard) throws -> JobIngestWriter {
    let stored = try requireJob(job)
    guard stored.state == .ingesting else {
      throw LeadsheetError(.usage, "job \(job) is \(stored.state), not ingesting")
    }
    let rows = try connection.scalarInt(
      "SELECT count(*) FROM rows WHERE job_id = ?", [.text(job.rawValue)])
    guard rows == 0 else {
      throw LeadsheetError(
        .usage, "job \(job) already has rows from an interrupted ingest",
        hint: "continue it with leadsheet resume \(job)")
    }
    return try JobIngestWriter(
      store: self, job: job, chunkSize: stored.spec.chunkSize, pacing: pacing,
      resumedFrom: IngestSummary(
        rows: 0, requests: 0, duplicates: 0, invalid: 0, skipped: 0, chunks: 0),
      typeCounts: IngestTypeCounts(), digests: ContactDigestTable(), requestBase: nil,
      lastRequest: 0, inputSize: stored.spec.inputSize)
  }

  /// `beginIngest(job:pacing:)` with `pacing.rows = batchSize`.
  public func beginIngest(job: JobID, batchSize: Int) throws -> JobIngestWriter {
    try beginIngest(job: job, pacing: IngestPacing(rows: batchSize))
  }

  /// Carries on an ingest that stopped (a crash, Ctrl-C) after its last committed chunk.
  ///
  /// Rebuilds the writer's state from the stored rows: the counts, and the
  /// digests of the stored requests so that later duplicates still share them.
  /// The caller skips the first `rowsAppended` rows of the input (after
  /// checking that its SHA-256 is unchanged) and appends the rest.
  ///
  /// - Throws: `LeadsheetError(.usage)` for a job that is not `ingesting`, or
  ///   whose stored rows do not end at a chunk boundary (an older version's ingest).
  public func continueIngest(job: JobID, pacing: IngestPacing = .standard) throws
    -> JobIngestWriter
  {
    let stored = try requireJob(job)
    guard stored.state == .ingesting else {
      throw LeadsheetError(.usage, "job \(job) is \(stored.state), not ingesting")
    }
    let key: [SQLValue] = [.text(job.rawValue)]
    let size = stored.spec.chunkSize
    var byPlan: [String: Int] = [:]
    let plans = try connection.prepare(
      "SELECT plan, count(*) FROM rows WHERE job_id = ? GROUP BY plan")
    try plans.bind(key)
    while try plans.step() { byPlan[plans.text(0) ?? "", default: 0] = plans.int(1) }
    let rows = byPlan.values.reduce(0, +)
    let chunks = Int(try connection.scalarInt("SELECT count(*) FROM chunks WHERE job_id = ?", key))
    guard rows % size == 0, chunks == rows / size else {
      throw LeadsheetError(
        .usage, "job \(job) was interrupted in a way this version cannot continue",
        hint: "purge it (leadsheet purge \(job)) and start again")
    }
    var table = ContactDigestTable(capacity: rows)
    var base: Int64?
    var requests = 0
    var last: Int64 = 0
    var typeCounts = IngestTypeCounts()
    let select = try connection.prepare(
      "SELECT id, contact_key FROM requests WHERE job_id = ? ORDER BY id")
    try select.bind(key)
    while try select.step() {
      let id = select.int64(0)
      let b = base ?? id
      base = b
      let digest = select.withBlob(1) { key in
        typeCounts.add(IngestTypeCounts.mask(contactKey: key))
        return ContactDigest(bytes: key)
      }
      table.insert(digest, offset: UInt32(id - b))
      last = id
      requests += 1
    }
    let requestRows = byPlan["request", default: 0]
    return try JobIngestWriter(
      store: self, job: job, chunkSize: size, pacing: pacing,
      resumedFrom: IngestSummary(
        rows: rows, requests: requests, duplicates: requestRows - requests,
        invalid: byPlan["invalid", default: 0], skipped: byPlan["skipped", default: 0],
        chunks: chunks),
      typeCounts: typeCounts, digests: table, requestBase: base, lastRequest: last)
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

  /// Sets each of `chunks` to the state its rows give: `done` when every row
  /// has a final outcome, `running` when one of its requests was sent, else `pending`.
  func settleChunkStates(job: JobID, size: Int64, chunks: [Int]) throws {
    let state = try connection.prepare(
      """
      SELECT coalesce(sum(q.state != 'done'), 0), coalesce(sum(q.state != 'pending' OR q.attempts > 0), 0)
      FROM rows r JOIN requests q ON q.id = r.request_id
      WHERE r.job_id = ?1 AND r.row_index >= ?2 AND r.row_index < ?3
      """)
    let update = try connection.prepare(
      "UPDATE chunks SET state = ? WHERE job_id = ? AND chunk = ?")
    for chunk in chunks {
      let c = Int64(chunk)
      try state.bind([.text(job.rawValue), .int(c * size), .int((c + 1) * size)])
      _ = try state.step()
      let open = state.int64(0)
      let started = state.int64(1)
      state.reset()
      let next: ChunkState = open == 0 ? .done : started > 0 ? .running : .pending
      try update.run([.text(next.rawValue), .text(job.rawValue), .int(c)])
    }
  }
}

extension JobStore {
  /// Seconds on a monotonic clock (for pacing commits).
  static func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }
}
