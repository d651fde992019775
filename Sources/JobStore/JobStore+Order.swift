import LeadsheetCore

/// Which column decides a job's send order, resolved to its index in the stored header.
public struct RequestOrder: Sendable, Hashable {
  /// The column's 0-based index in the job's header.
  public var column: Int
  /// Highest values first (blanks still last).
  public var descending: Bool

  /// Creates an order.
  public init(column: Int, descending: Bool) {
    self.column = column
    self.descending = descending
  }
}

extension JobStore {
  /// Ranks every request of `job` by `order` (`requests.send_rank`), in one
  /// transaction, optionally storing the job's new options with the ranks.
  ///
  /// A request's place is the best of its rows' (a duplicate contact is sent
  /// where its best row would be); equal keys keep file order. `nextRequests`
  /// then returns pending requests by rank. Reads every request row once.
  ///
  /// - Parameters:
  ///   - options: The job's options JSON to store with the ranks, if given.
  /// - Returns: The number of requests ranked.
  /// - Throws: `LeadsheetError(.storage)`.
  @discardableResult
  public func rankRequests(job: JobID, by order: RequestOrder, options: String? = nil) throws
    -> Int
  {
    try connection.transaction {
      let n = try writeRanks(job: job, order: order)
      if let options {
        try connection.prepare("UPDATE jobs SET options = ?, updated_at = ? WHERE id = ?")
          .run([.text(options), .double(now().timeIntervalSince1970), .text(job.rawValue)])
      }
      return n
    }
  }

  /// Puts `job` back in file order (every `send_rank` to `NULL`), storing `options` with it.
  public func clearRanks(job: JobID, options: String) throws {
    try connection.transaction {
      try connection.prepare(
        "UPDATE requests SET send_rank = NULL WHERE job_id = ? AND send_rank IS NOT NULL"
      ).run([.text(job.rawValue)])
      try connection.prepare("UPDATE jobs SET options = ?, updated_at = ? WHERE id = ?")
        .run([.text(options), .double(now().timeIntervalSince1970), .text(job.rawValue)])
    }
  }

  /// `rankRequests` inside the caller's transaction (the ingest's last one).
  ///
  /// In bounded memory, whatever the list's size: each request row's key goes to a
  /// temporary table (kind, number, text, row), SQLite sorts it (spilling to a
  /// temporary file past its page cache), and the first time a request comes out of
  /// the sort is its best place (a bit per request marks the ones seen). The ranks go
  /// to a second temporary table keyed by request id, and one `UPDATE … FROM` writes
  /// them in id order, each page of `requests` visited once. Text compares by code
  /// point (SQLite's `BINARY` order of the folded text).
  func writeRanks(job: JobID, order: RequestOrder) throws -> Int {
    for sql in [
      "DROP TABLE IF EXISTS temp.order_keys", "DROP TABLE IF EXISTS temp.order_ranks",
      """
      CREATE TEMP TABLE order_keys (
        request_id INTEGER NOT NULL, kind INTEGER NOT NULL, num REAL, txt TEXT,
        row INTEGER NOT NULL)
      """,
      "CREATE TEMP TABLE order_ranks (request_id INTEGER PRIMARY KEY, rank INTEGER NOT NULL)",
    ] {
      try connection.execute(sql)
    }
    defer {
      try? connection.execute("DROP TABLE IF EXISTS temp.order_keys")
      try? connection.execute("DROP TABLE IF EXISTS temp.order_ranks")
    }
    let rows = try connection.prepare(
      """
      SELECT request_id, row_index, cells FROM rows
      WHERE job_id = ? AND request_id IS NOT NULL
      """)
    try rows.bind([.text(job.rawValue)])
    let insert = try connection.prepare("INSERT INTO temp.order_keys VALUES (?, ?, ?, ?, ?)")
    var lowest = Int64.max
    var highest = Int64.min
    while try rows.step() {
      let id = rows.int64(0)
      lowest = min(lowest, id)
      highest = max(highest, id)
      let key = try rows.withBlob(2) { OrderKey(try CellCoding.cell(at: order.column, in: $0)) }
      var number = SQLValue.null
      var text = SQLValue.null
      switch key {
      case .number(let n), .date(let n): number = .double(n)
      case .text(let t): text = .text(t)
      case .blank: break
      }
      try insert.run([.int(id), .int(Int64(key.kindRank)), number, text, .int(rows.int64(1))])
    }
    guard lowest <= highest else { return 0 }
    let direction = order.descending ? "DESC" : "ASC"
    let sorted = try connection.prepare(
      """
      SELECT request_id FROM temp.order_keys
      ORDER BY kind, num \(direction), txt \(direction), row
      """)
    try sorted.bind([])
    let write = try connection.prepare("INSERT INTO temp.order_ranks VALUES (?, ?)")
    var seen = [UInt64](repeating: 0, count: Int((highest - lowest) / 64) + 1)
    var rank: Int64 = 0
    while try sorted.step() {
      let offset = Int(sorted.int64(0) - lowest)
      let (word, bit) = (offset / 64, UInt64(1) << UInt64(offset % 64))
      guard seen[word] & bit == 0 else { continue }
      seen[word] |= bit
      try write.run([.int(sorted.int64(0)), .int(rank)])
      rank += 1
    }
    try connection.execute(
      """
      UPDATE requests SET send_rank = r.rank FROM temp.order_ranks AS r
      WHERE requests.id = r.request_id
      """)
    return Int(rank)
  }
}
