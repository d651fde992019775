import Foundation
import JobStore
import LeadsheetCore

/// Finds a `--by` column in a job's header, or explains which names are close.
enum ColumnResolver {
  /// The column's header name and 0-based index.
  ///
  /// An exact name wins; otherwise a unique match ignoring case and surrounding spaces.
  ///
  /// - Throws: `LeadsheetError(.notFound)` naming up to three close columns.
  static func resolve(_ name: String, header: [String], job: JobID) throws -> (
    name: String, index: Int
  ) {
    if let i = header.firstIndex(of: name) { return (header[i], i) }
    let key = normalized(name)
    let loose = header.indices.filter { normalized(header[$0]) == key }
    if loose.count == 1 { return (header[loose[0]], loose[0]) }
    let close = header.sorted { distance(normalized($0), key) < distance(normalized($1), key) }
      .prefix(3).map { "'\($0)'" }
    let hint =
      header.isEmpty
      ? "the job has no columns"
      : "did you mean \(close.joined(separator: ", "))? (\(header.count) columns)"
    throw LeadsheetError(.notFound, "job \(job) has no column '\(name)'", hint: hint)
  }

  static func normalized(_ s: String) -> String {
    s.trimmingCharacters(in: .whitespaces).lowercased()
  }

  /// Levenshtein distance (the lists' headers are short).
  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...b.count {
        let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
        current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
      }
      previous = current
    }
    return previous[b.count]
  }
}
