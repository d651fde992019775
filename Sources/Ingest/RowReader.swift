import LeadsheetCore

/// A streaming source of records, one at a time, in constant memory.
///
/// Implemented by `CSVReader` and `XLSXReader`. Rows come as they are in the
/// file (header included, widths ragged); `Table` finds the header and evens
/// the widths.
public protocol RowReader: AnyObject {
  /// What was detected about the file (format, encoding, delimiter, sheets).
  var info: SourceInfo { get }
  /// Counted problems met so far (invalid bytes decoded by fallback, cells
  /// skipped…); read it after the last row.
  var warnings: [IngestWarning] { get }
  /// The next record, or `nil` at the end of the file.
  ///
  /// A CSV reader returns blank records too (rows whose cells are all empty),
  /// so that line numbers stay right; an XLSX reader skips rows without a
  /// value (`number` stays the sheet's own row). `Table` skips blank rows.
  /// - Throws: `LeadsheetError` naming the file and the line or cell.
  func next() throws -> SourceRow?
}

/// A reader that can also hand out records as field bytes, without making cells.
public protocol RawRowReader: RowReader {
  /// The next record as field bytes (valid until the next read), or `nil` at the end.
  ///
  /// - Throws: `LeadsheetError` naming the file and the line.
  func nextRaw() throws -> RawRow?
}
