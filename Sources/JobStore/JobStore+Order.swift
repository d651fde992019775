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
  func writeRanks(job: JobID, order: RequestOrder) throws -> Int {
    // The best key of each request, and the row where it was first seen (ties: file order).
    var best: [Int64: (key: OrderKey, row: Int64)] = [:]
    let rows = try connection.prepare(
      """
      SELECT request_id, row_index, cells FROM rows
      WHERE job_id = ? AND request_id IS NOT NULL ORDER BY row_index
      """)
    try rows.bind([.text(job.rawValue)])
    while try rows.step() {
      let id = rows.int64(0)
      let cell = try rows.withBlob(2) { try CellCoding.cell(at: order.column, in: $0) }
      let key = OrderKey(cell)
      if let seen = best[id] {
        if key.precedes(seen.key, descending: order.descending) {
          best[id] = (key, seen.row)
        }
      } else {
        best[id] = (key, rows.int64(1))
      }
    }
    let ranked = best.sorted { a, b in
      if a.value.key.precedes(b.value.key, descending: order.descending) { return true }
      if b.value.key.precedes(a.value.key, descending: order.descending) { return false }
      return a.value.row < b.value.row
    }
    // Written in id order: the table's pages are visited once each.
    var ranks = ranked.enumerated().map { (id: $0.element.key, rank: Int64($0.offset)) }
    ranks.sort { $0.id < $1.id }
    let update = try connection.prepare("UPDATE requests SET send_rank = ? WHERE id = ?")
    for entry in ranks {
      try update.bindInt(entry.rank, at: 1)
      try update.bindInt(entry.id, at: 2)
      try update.runBound()
    }
    return ranked.count
  }
}
