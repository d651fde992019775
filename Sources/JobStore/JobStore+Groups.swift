import Foundation
import LeadsheetCore

extension JobStore {
  /// Sets each request's `--max-per` group (`requests.group_key`): the value of
  /// column `column` in its first row, trimmed, blanks collapsed and case folded
  /// ("ACME  Inc" and "acme inc" are one group); a blank value is no group (no limit).
  ///
  /// Only requests that ask for one of `limited` (the types `--max-per` counts) get a
  /// group: one that cannot take a place (no LinkedIn URL, so no phone) must not
  /// hold back the group's other requests while it is undecided.
  ///
  /// Done when a run starts with `--max-per`, in one transaction; reads each request
  /// and its first row once (through `rows_by_request`), in constant memory. The
  /// places already taken (`quota_taken`) are kept.
  ///
  /// - Returns: The number of distinct groups.
  /// - Throws: `LeadsheetError(.storage)`.
  @discardableResult
  public func assignGroups(job: JobID, column: Int, limited: [EnrichmentType]) throws -> Int {
    try connection.transaction {
      try connection.prepare("UPDATE requests SET group_key = NULL WHERE job_id = ?")
        .run([.text(job.rawValue)])
      // Body and key in columns 6 and 7, where `CreditColumns` reads them.
      let requests = try connection.prepare(
        """
        SELECT q.id,
          (SELECT r.cells FROM rows r WHERE r.request_id = q.id ORDER BY r.row_index LIMIT 1),
          NULL, NULL, NULL, NULL, q.body, q.contact_key
        FROM requests q WHERE q.job_id = ?
        """)
      try requests.bind([.text(job.rawValue)])
      let write = try connection.prepare("UPDATE requests SET group_key = ? WHERE id = ?")
      var columns = CreditColumns()
      var groups = Set<String>()
      while try requests.step() {
        guard !requests.isNull(1) else { continue }
        // Unreadable types: limited all the same (a place held back, never spent).
        guard columns.types(requests)?.contains(where: limited.contains) ?? true else { continue }
        let value = try requests.withBlob(1) { try CellCoding.cell(at: column, in: $0).text }
        guard let key = Self.groupKey(value) else { continue }
        groups.insert(key)
        try write.run([.text(key), .int(requests.int64(0))])
      }
      return groups.count
    }
  }

  /// The folded group of a cell's text (`nil` when blank).
  public static func groupKey(_ text: String) -> String? {
    let words = text.split(whereSeparator: { $0.isWhitespace })
    guard !words.isEmpty else { return nil }
    return words.joined(separator: " ").folding(
      options: [.caseInsensitive, .widthInsensitive], locale: nil)
  }
}
