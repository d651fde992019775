import LeadsheetCore

extension ColumnMapping {
  /// The column `--order-by` names, matched as `--map` matches: the same text, else
  /// the same text ignoring case, else the only column with the same normalised name.
  ///
  /// - Throws: `LeadsheetError(.notFound)` whose one-line message names the column
  ///   and lists the headers (`--order-by: no column named 'scor'; the columns are
  ///   'email', 'score'`), with the closest headers as the hint.
  public static func orderColumn(
    _ name: String, in header: [String], option: String = "--order-by"
  ) throws -> Int {
    do {
      return try findColumn(name, in: header, option: option)
    } catch {
      let shown = header.prefix(40).map { "'\($0)'" }.joined(separator: ", ")
      let close = closeHeaders(to: name, in: header)
      throw LeadsheetError(
        .notFound,
        "\(option): no column named '\(name)'; the columns are \(shown)"
          + (header.count > 40 ? ", …" : ""),
        hint: close.isEmpty
          ? nil : "did you mean " + close.map { "'\($0)'" }.joined(separator: " or ") + "?")
    }
  }
}
