import Foundation
import LeadsheetCore

extension JobStore {
  /// Sets each request's `--max-per` group (`requests.group_key`): the value of
  /// column `column` in its first row, trimmed, blanks collapsed and case folded
  /// ("ACME  Inc" and "acme inc" are one group); a blank value is no group (no limit).
  ///
  /// Done when a run starts with `--max-per`, in one transaction; reads every request
  /// row once. The places already taken (`quota_taken`) are kept.
  ///
  /// - Returns: The number of distinct groups.
  /// - Throws: `LeadsheetError(.storage)`.
  @discardableResult
  public func assignGroups(job: JobID, column: Int) throws -> Int {
    try connection.transaction {
      try connection.prepare("UPDATE requests SET group_key = NULL WHERE job_id = ?")
        .run([.text(job.rawValue)])
      let rows = try connection.prepare(
        """
        SELECT request_id, cells FROM rows
        WHERE job_id = ? AND request_id IS NOT NULL ORDER BY row_index
        """)
      try rows.bind([.text(job.rawValue)])
      let write = try connection.prepare(
        "UPDATE requests SET group_key = ? WHERE id = ? AND group_key IS NULL")
      var seen = Set<Int64>()
      var groups = Set<String>()
      while try rows.step() {
        let id = rows.int64(0)
        guard seen.insert(id).inserted else { continue }
        let value = try rows.withBlob(1) { try CellCoding.cell(at: column, in: $0).text }
        guard let key = Self.groupKey(value) else { continue }
        groups.insert(key)
        try write.run([.text(key), .int(id)])
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
