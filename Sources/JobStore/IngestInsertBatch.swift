import LeadsheetCore

/// The rows and requests of an ingest waiting to be inserted, written by multi-row statements.
///
/// One `INSERT … VALUES (…), (…), …` of `width` rows opens the table's and
/// its indexes' cursors once, where a statement per row opens them for every
/// row: at a million rows that overhead was about as large as SQLite's own
/// work of storing them. The bytes of a batch live in one arena and are bound
/// in place while the statements run. Requests are flushed before rows
/// (rows refer to them). Not `Sendable`: used on the writer's thread.
final class IngestInsertBatch {
  /// Rows (and requests) per multi-row statement.
  static let width = 64

  private struct PendingRow {
    var index: Int64
    var line: Int64
    var cells: Range<Int>
    var plan: IngestPlanName
    /// `nil` for invalid and skipped rows.
    var requestID: Int64?
    var reasonCode: Range<Int>?
    var reasonMessage: Range<Int>?
  }

  private struct PendingRequest {
    var id: Int64
    var key: Range<Int>
    var body: Range<Int>
    var chunk: Int64
  }

  private let jobLength: Int
  private var arena: [UInt8]
  private var rows: [PendingRow] = []
  private var requests: [PendingRequest] = []
  private let rowsWide: Statement
  private let rowOne: Statement
  private let requestsWide: Statement
  private let requestOne: Statement

  /// Prepares the statements for `job`'s rows.
  init(connection: SQLiteConnection, job: JobID) throws {
    let width = Self.width
    func values(_ count: Int, _ columns: Int) -> String {
      let one = "(" + Array(repeating: "?", count: columns).joined(separator: ",") + ")"
      return Array(repeating: one, count: count).joined(separator: ",")
    }
    // `OR ROLLBACK`: a constraint broken (never, short of a bug) ends the whole
    // transaction, which the writer rolls back on any error anyway. With SQLite's default
    // (`ABORT`: undo only the failing statement) every multi-row statement would need a
    // statement journal, a temporary file written beside each transaction.
    let rowsHead =
      "INSERT OR ROLLBACK INTO rows (job_id, row_index, line, cells, plan, request_id, reason_code, reason_message) VALUES "
    let requestsHead =
      "INSERT OR ROLLBACK INTO requests (id, job_id, contact_key, body, first_chunk) VALUES "
    rowsWide = try connection.prepare(rowsHead + values(width, 8))
    rowOne = try connection.prepare(rowsHead + values(1, 8))
    requestsWide = try connection.prepare(requestsHead + values(width, 5))
    requestOne = try connection.prepare(requestsHead + values(1, 5))
    arena = Array(job.rawValue.utf8)
    jobLength = arena.count
    arena.reserveCapacity(64 * 1024)
  }

  /// Bytes held after which the batch flushes before `width` rows (long cells).
  static let maxBytes = 4 << 20

  /// Whether the batch holds `width` rows or `maxBytes`: time to flush.
  var isFull: Bool { rows.count >= Self.width || arena.count >= Self.maxBytes }

  /// Adds a request with the id the writer gave it.
  func addRequest(id: Int64, key: [UInt8], body: [UInt8], chunk: Int) {
    requests.append(
      PendingRequest(id: id, key: store(key), body: store(body), chunk: Int64(chunk)))
  }

  /// Adds a row.
  func addRow(
    index: Int, line: Int, cells: [UInt8], plan: IngestPlanName, requestID: Int64?,
    reasonCode: String?, reasonMessage: String?
  ) {
    rows.append(
      PendingRow(
        index: Int64(index), line: Int64(line), cells: store(cells), plan: plan,
        requestID: requestID, reasonCode: reasonCode.map { store(Array($0.utf8)) },
        reasonMessage: reasonMessage.map { store(Array($0.utf8)) }))
  }

  private func store(_ bytes: [UInt8]) -> Range<Int> {
    let start = arena.count
    arena.append(contentsOf: bytes)
    return start..<arena.count
  }

  /// Inserts everything held (requests, then rows) and empties the batch.
  ///
  /// - Throws: `LeadsheetError(.storage)`; the batch is emptied either way
  ///   (the caller rolls the transaction back).
  func flush() throws {
    defer { discard() }
    guard !rows.isEmpty || !requests.isEmpty else { return }
    try arena.withUnsafeBytes { bytes in
      let job = UnsafeRawBufferPointer(rebasing: bytes[0..<jobLength])
      func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
      }
      try Self.insert(requests.count, wide: requestsWide, one: requestOne, columns: 5) {
        statement, k, p in
        let r = requests[k]
        try statement.bindInt(r.id, at: p + 1)
        try statement.bindStatic(job, at: p + 2, asText: true)
        try statement.bindStatic(slice(r.key), at: p + 3, asText: true)
        try statement.bindStatic(slice(r.body), at: p + 4, asText: true)
        try statement.bindInt(r.chunk, at: p + 5)
      }
      try Self.insert(rows.count, wide: rowsWide, one: rowOne, columns: 8) { statement, k, p in
        let r = rows[k]
        try statement.bindStatic(job, at: p + 1, asText: true)
        try statement.bindInt(r.index, at: p + 2)
        try statement.bindInt(r.line, at: p + 3)
        try statement.bindStatic(slice(r.cells), at: p + 4, asText: false)
        let plan = r.plan.text
        try statement.bindStatic(
          UnsafeRawBufferPointer(start: plan.utf8Start, count: plan.utf8CodeUnitCount),
          at: p + 5, asText: true)
        if let id = r.requestID {
          try statement.bindInt(id, at: p + 6)
        } else {
          try statement.bindNull(at: p + 6)
        }
        if let code = r.reasonCode {
          try statement.bindStatic(slice(code), at: p + 7, asText: true)
        } else {
          try statement.bindNull(at: p + 7)
        }
        if let message = r.reasonMessage {
          try statement.bindStatic(slice(message), at: p + 8, asText: true)
        } else {
          try statement.bindNull(at: p + 8)
        }
      }
    }
  }

  /// Runs `count` items through `wide` (`width` at a time) and `one` (the rest):
  /// `bind(statement, item, offset)` binds item `item` at parameters `offset + 1…`.
  private static func insert(
    _ count: Int, wide: Statement, one: Statement, columns: Int,
    bind: (Statement, Int, Int32) throws -> Void
  ) throws {
    var i = 0
    while i < count {
      let isWide = count - i >= width
      let statement = isWide ? wide : one
      let n = isWide ? width : 1
      for k in 0..<n { try bind(statement, i + k, Int32(k * columns)) }
      try statement.runBound()
      i += n
    }
  }

  /// Drops what is held (after a rollback).
  func discard() {
    rows.removeAll(keepingCapacity: true)
    requests.removeAll(keepingCapacity: true)
    if arena.capacity > 2 * Self.maxBytes {
      arena = Array(arena[0..<jobLength])  // after a batch of very long cells
      arena.reserveCapacity(64 * 1024)
    } else {
      arena.removeSubrange(jobLength...)
    }
  }
}

/// The stored name of a row's plan (`rows.plan`).
enum IngestPlanName {
  case request, invalid, skipped

  var text: StaticString {
    switch self {
    case .request: "request"
    case .invalid: "invalid"
    case .skipped: "skipped"
    }
  }
}
