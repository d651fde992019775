import LeadsheetCore

/// What a writer did: rows, bytes and the counted, non-fatal adjustments.
///
/// Nothing is adjusted silently: every truncated or cleaned cell is counted
/// here, with the first place it happened, and `warnings` says it in words.
public struct OutputSummary: Sendable, Hashable, Codable {
  /// The final path (`-` for standard output).
  public var path: String
  /// The format written.
  public var format: SourceFormat
  /// Data rows written (the header not counted).
  public var rows: Int = 0
  /// Bytes written to the file.
  public var bytes: Int64 = 0
  /// XLSX cells cut to Excel's limit of 32,767 characters.
  public var truncatedCells: Int = 0
  /// The first truncated cell, as an A1 reference.
  public var firstTruncatedCell: String?
  /// XLSX cells from which characters illegal in XML 1.0 (control characters) were removed.
  public var strippedCells: Int = 0
  /// The first such cell, as an A1 reference.
  public var firstStrippedCell: String?
  /// CSV values from the API given a leading `'` by `FormulaGuard`.
  public var guardedValues: Int = 0
  /// Rows whose cell count differed from the header and were padded or cut to fit.
  public var reshapedRows: Int = 0

  /// Creates an empty summary.
  public init(path: String, format: SourceFormat) {
    self.path = path
    self.format = format
  }

  /// One sentence per counted adjustment, for the user.
  public var warnings: [String] {
    var w: [String] = []
    if truncatedCells > 0 {
      w.append(
        "\(truncatedCells) cell(s) longer than 32,767 characters were cut to fit Excel's limit"
          + " (first: \(firstTruncatedCell ?? "?")); write CSV to keep them whole")
    }
    if strippedCells > 0 {
      w.append(
        "\(strippedCells) cell(s) held control characters that XLSX cannot store; they were removed"
          + " (first: \(firstStrippedCell ?? "?"))")
    }
    if guardedValues > 0 {
      w.append(
        "\(guardedValues) value(s) from the API started like a spreadsheet formula and were"
          + " prefixed with ' so that no spreadsheet runs them")
    }
    if reshapedRows > 0 {
      w.append("\(reshapedRows) row(s) did not match the header's width and were padded or cut")
    }
    return w
  }
}
