import LeadsheetCore

/// Writes the enriched list as CSV: UTF-8, the input's delimiter, RFC 4180 quoting.
///
/// - Original cells are written byte for byte as read (quoted when needed,
///   never altered).
/// - A field is quoted when it holds the delimiter, a `"`, CR or LF, or starts
///   or ends with a space or tab; quotes inside are doubled.
/// - Lines end with CRLF by default (RFC 4180 and Excel's own choice; every CSV
///   reader accepts it), LF with `OutputOptions.lineEnding`. Line breaks inside
///   a quoted original cell stay as they were.
/// - The file starts with a UTF-8 BOM when `OutputOptions.writesBOM`.
/// - Appended values pass through `FormulaGuard`.
/// - Output is assembled in a 256 KiB buffer and written in chunks of at
///   least 64 KiB: memory stays constant.
public final class CSVOutputWriter: OutputWriter {
  /// The appended columns.
  public let columns: OutputColumns
  private let file: AtomicFileWriter
  private let delimiter: UInt8
  private let lineEnding: [UInt8]
  private let width: Int
  /// Bytes not yet written; moved into a local while a row is built (no dynamic
  /// exclusivity checks on a class property in the hot path).
  private var pending: [UInt8] = []
  private var summary: OutputSummary
  private static let flushThreshold = 64 * 1024

  /// Opens the file and writes the BOM (if any) and the header row.
  ///
  /// - Parameters:
  ///   - path: The final path, or `-` for standard output.
  ///   - inputPath: The input file, never overwritten.
  ///   - header: The input's column names.
  ///   - requested: The enrichment types asked for.
  ///   - options: Delimiter, BOM, line ending, prefix, phone separator.
  /// - Throws: `LeadsheetError` for a bad delimiter or a path that cannot be written.
  public init(
    path: String, inputPath: String?, header: [String], requested: [EnrichmentType],
    options: OutputOptions
  ) throws {
    delimiter = try options.delimiterByte()
    lineEnding = options.lineEnding.bytes
    columns = OutputColumns(inputHeader: header, requested: requested, options: options)
    width = header.count
    file = try AtomicFileWriter(path: path, inputPath: inputPath)
    summary = OutputSummary(path: path, format: .csv)
    var buffer: [UInt8] = []
    buffer.reserveCapacity(256 * 1024)
    defer { pending = buffer }
    if options.writesBOM { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    var first = true
    for name in header + columns.names {
      if !first { buffer.append(delimiter) }
      first = false
      appendField(name, &buffer)
    }
    buffer.append(contentsOf: lineEnding)
  }

  /// Writes one row: the original cells, then the guarded appended values.
  ///
  /// - Throws: `LeadsheetError` (`.storage`) on a write error.
  public func append(cells: [Cell], result: RowResult) throws {
    if cells.count != width { summary.reshapedRows += 1 }
    var buffer = pending
    pending = []
    defer { pending = buffer }
    for i in 0..<width {
      if i > 0 { buffer.append(delimiter) }
      if i < cells.count { appendField(cells[i].text, &buffer) }
    }
    for field in columns.fields {
      buffer.append(delimiter)
      let raw = columns.value(of: field, in: result)
      if raw.isEmpty { continue }
      let separator = field == .phones ? columns.phoneSeparator : nil
      if FormulaGuard.needsGuard(raw, listSeparator: separator) {
        summary.guardedValues += 1
        appendField("'" + raw, &buffer)
      } else {
        appendField(raw, &buffer)
      }
    }
    buffer.append(contentsOf: lineEnding)
    summary.rows += 1
    if buffer.count >= CSVOutputWriter.flushThreshold { try flush(&buffer) }
  }

  /// Flushes, syncs and renames the file into place.
  ///
  /// - Throws: `LeadsheetError` (`.storage`) when the file cannot be completed.
  public func finish() throws -> OutputSummary {
    var buffer = pending
    pending = []
    try flush(&buffer)
    try file.commit()
    summary.bytes = file.bytesWritten
    return summary
  }

  private func flush(_ buffer: inout [UInt8]) throws {
    guard !buffer.isEmpty else { return }
    try file.write(buffer)
    buffer.removeAll(keepingCapacity: true)
  }

  /// Appends one field, quoted when RFC 4180 (or a leading/trailing blank) needs it.
  private func appendField(_ text: String, _ buffer: inout [UInt8]) {
    var text = text
    text.withUTF8 { bytes in
      guard let first = bytes.first, let last = bytes.last else { return }
      var quote = first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09
      if !quote {
        for b in bytes where b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D {
          quote = true
          break
        }
      }
      if !quote {
        buffer.append(contentsOf: bytes)
        return
      }
      buffer.append(0x22)
      for b in bytes {
        if b == 0x22 { buffer.append(0x22) }
        buffer.append(b)
      }
      buffer.append(0x22)
    }
  }
}
