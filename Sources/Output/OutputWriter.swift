import LeadsheetCore

/// Turns a stream of `(original cells, RowResult)` into an output file, one row at a time.
///
/// A push API: open a writer (it writes the header), call `append(cells:result:)`
/// for every data row in input order, then `finish()`, which gives the file its
/// final name. A writer dropped without `finish()` leaves no file under the
/// final name (see `AtomicFileWriter`). Memory stays constant whatever the
/// number of rows.
///
///     let writer = try OutputWriters.open(
///       path: "leads.enriched.csv", inputPath: "leads.csv", header: table.rawHeader,
///       requested: [.email, .phone], options: OutputOptions(matching: table.info))
///     while let row = try store.nextRow() {
///       try writer.append(cells: row.cells, result: row.result)
///     }
///     let summary = try writer.finish()
public protocol OutputWriter: AnyObject {
  /// The appended columns.
  var columns: OutputColumns { get }

  /// Writes one data row: the original cells, unchanged, then the appended values.
  ///
  /// A row whose cell count differs from the header's is padded with empty
  /// cells or cut, and counted in `OutputSummary.reshapedRows`.
  ///
  /// - Throws: `LeadsheetError` on a write error or past a format's row limit.
  func append(cells: [Cell], result: RowResult) throws

  /// Ends the file, flushes it to disk and gives it its final name.
  ///
  /// - Returns: What was written, with counted adjustments.
  /// - Throws: `LeadsheetError` (`.storage`) when the file cannot be completed.
  func finish() throws -> OutputSummary
}

/// Opens the writer for an output format.
public enum OutputWriters {
  /// Opens a CSV or XLSX writer (by `options.format`) and writes the header row.
  ///
  /// - Parameters:
  ///   - path: The final path; `-` for standard output (CSV only).
  ///   - inputPath: The input file, which is never overwritten.
  ///   - header: The input's column names as they should appear (the raw header).
  ///   - requested: The enrichment types asked for (decides the `personal_email` columns).
  ///   - options: Format, delimiter, BOM, prefix, sheet name.
  /// - Throws: `LeadsheetError` when the path is the input, cannot be created,
  ///   or the options are invalid.
  public static func open(
    path: String, inputPath: String?, header: [String], requested: [EnrichmentType],
    options: OutputOptions
  ) throws -> any OutputWriter {
    switch options.format {
    case .csv:
      return try CSVOutputWriter(
        path: path, inputPath: inputPath, header: header, requested: requested, options: options)
    case .xlsx:
      return try XLSXOutputWriter(
        path: path, inputPath: inputPath, header: header, requested: requested, options: options)
    }
  }
}

extension OutputWriter {
  /// Writes every row of a sequence, in order (for callers holding an iterator, not a callback).
  ///
  /// - Throws: `LeadsheetError` from `append(cells:result:)`.
  public func append<Rows: Sequence>(contentsOf rows: Rows) throws
  where Rows.Element == (cells: [Cell], result: RowResult) {
    for row in rows { try append(cells: row.cells, result: row.result) }
  }
}
