import Foundation

/// `--order-by COLUMN[:desc]`: the column whose values decide which requests are sent first.
///
/// `score` sorts ascending, `score:desc` descending (`:asc` is accepted too, and the
/// suffix is case-insensitive). A column whose name itself ends in `:desc` cannot be
/// named this way; any other colon is part of the name (`Score: 2024`).
public struct OrderBy: Sendable, Hashable, CustomStringConvertible {
  /// The column's header, as the user wrote it (matched case-insensitively).
  public var column: String
  /// Highest (latest, Z-most) values first; blanks stay last either way.
  public var descending: Bool

  /// Creates an order.
  public init(column: String, descending: Bool = false) {
    self.column = column
    self.descending = descending
  }

  /// Reads `COLUMN`, `COLUMN:desc` or `COLUMN:asc`.
  ///
  /// - Throws: `LeadsheetError(.usage)` when no column is named.
  public static func parse(_ text: String) throws -> OrderBy {
    var column = Substring(text)
    var descending = false
    for (suffix, desc) in [(":desc", true), (":asc", false)]
    where column.lowercased().hasSuffix(suffix) {
      column = column.dropLast(suffix.count)
      descending = desc
      break
    }
    let name = column.trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty else {
      throw LeadsheetError(
        .usage, "--order-by needs a column: --order-by COLUMN or --order-by COLUMN:desc")
    }
    return OrderBy(column: name, descending: descending)
  }

  /// `column`, with `:desc` when descending: what `parse` reads back.
  public var description: String { descending ? "\(column):desc" : column }

  /// A phrase for the progress and `inspect`: `by "score", highest first (blanks last)`.
  public var phrase: String {
    "by \"\(column)\", \(descending ? "highest first" : "lowest first") (blanks last)"
  }
}
