import Foundation
import LeadsheetCore

/// Writes the enriched list as a one-sheet XLSX workbook, streamed with constant memory.
///
/// - The sheet XML is produced row by row into a 64 KiB buffer and deflated
///   into the ZIP as it goes (`ZIPStreamWriter`); strings are inline
///   (`t="inlineStr"`), so there is no shared-string table in memory.
/// - Original cells keep their type: `.number` as a number, `.date` as a date
///   serial with a date, date-time or time style (a date whose input format
///   hid a time of day, `Cell.hiddenTime`, keeps it in the serial under the
///   date style), `.boolean` as a boolean,
///   `.error` as an error value, `.text` as text. Nothing is ever a formula.
///   A cell whose text does not fit its kind (a "number" Excel cannot read, a
///   date before 1900) is written as text.
/// - Appended columns are always text, so `+33612345678` stays a phone
///   number and never becomes 33612345678. No formula guard is needed: an
///   inline string is never evaluated.
/// - The header is bold, the first row frozen, an autofilter covers the table.
/// - Text longer than Excel's 32,767 characters is cut (counted in
///   `OutputSummary.truncatedCells`); control characters XML 1.0 forbids are
///   removed (counted in `OutputSummary.strippedCells`).
/// - Excel's limits: 1,048,576 rows and 16,384 columns; past them the writer throws.
public final class XLSXOutputWriter: OutputWriter {
  /// The appended columns.
  public let columns: OutputColumns
  /// Excel's longest cell text, in UTF-16 units.
  public static let maxCellLength = 32_767
  /// Excel's row limit, header included.
  public static let maxRows = 1_048_576
  /// Excel's column limit.
  public static let maxColumns = 16_384

  private let file: AtomicFileWriter
  private let zip: ZIPStreamWriter
  private let width: Int
  private let sheetName: String
  private let letters: [[UInt8]]
  /// The sheet XML not yet deflated; moved into a local while a row is built, so the
  /// hot path works on a local array (no dynamic exclusivity checks on a class property).
  private var pending: [UInt8] = []
  private var rowNumber = 0
  private var summary: OutputSummary
  private static let flushThreshold = 64 * 1024

  /// Opens the file, starts the sheet and writes the header row.
  ///
  /// - Parameters:
  ///   - path: The final path (standard output is refused).
  ///   - inputPath: The input file, never overwritten.
  ///   - header: The input's column names.
  ///   - requested: The enrichment types asked for.
  ///   - options: Sheet name, compression level, prefix, phone separator.
  /// - Throws: `LeadsheetError` for `-`, too many columns, or a path that cannot be written.
  public convenience init(
    path: String, inputPath: String?, header: [String], requested: [EnrichmentType],
    options: OutputOptions
  ) throws {
    try self.init(
      path: path, inputPath: inputPath, header: header, requested: requested, options: options,
      forceZIP64: false)
  }

  init(
    path: String, inputPath: String?, header: [String], requested: [EnrichmentType],
    options: OutputOptions, forceZIP64: Bool
  ) throws {
    guard path != "-" else {
      throw LeadsheetError(
        .usage, "an XLSX workbook cannot be written to standard output",
        hint: "give a file name, or write CSV")
    }
    columns = OutputColumns(inputHeader: header, requested: requested, options: options)
    width = header.count
    let total = width + columns.count
    guard total <= XLSXOutputWriter.maxColumns else {
      throw LeadsheetError(
        .refused, file: path, "\(total) columns: more than Excel's 16,384",
        hint: "write CSV instead")
    }
    letters = (0..<total).map { Array(SourceLocation.columnLetters($0).utf8) }
    sheetName = XLSXParts.validSheetName(options.sheetName)
    summary = OutputSummary(path: path, format: .xlsx)
    file = try AtomicFileWriter(path: path, inputPath: inputPath)
    zip = try ZIPStreamWriter(file: file, level: options.compressionLevel, forceZIP64: forceZIP64)
    var buffer: [UInt8] = []
    buffer.reserveCapacity(128 * 1024)
    defer { pending = buffer }
    // The fixed parts first (streaming readers like `[Content_Types].xml` up front); only
    // `xl/workbook.xml`, which names the autofilter's last row, waits for `finish()`.
    try zip.addEntry("[Content_Types].xml", XLSXParts.contentTypes)
    try zip.addEntry("_rels/.rels", XLSXParts.rootRels)
    try zip.addEntry("docProps/app.xml", XLSXParts.app)
    let stamp = ISO8601DateFormatter().string(from: Date())
    try zip.addEntry("docProps/core.xml", XLSXParts.core(created: stamp))
    try zip.addEntry("xl/_rels/workbook.xml.rels", XLSXParts.workbookRels)
    try zip.addEntry("xl/styles.xml", XLSXParts.styles)
    try zip.beginEntry("xl/worksheets/sheet1.xml")
    let names = header + columns.names
    buffer.append(contentsOf: XLSXParts.declaration.utf8)
    buffer.append(
      contentsOf: """
        <worksheet xmlns="\(XLSXParts.mainNS)" xmlns:r="\(XLSXParts.relNS)">\
        <sheetViews><sheetView tabSelected="1" workbookViewId="0">\
        <pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
        <selection pane="bottomLeft" activeCell="A2" sqref="A2"/>\
        </sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>
        """.utf8)
    for (i, name) in names.enumerated() {
      let width = min(60, max(10, name.count + 4, i >= header.count ? 16 : 0))
      buffer.append(
        contentsOf: "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
          .utf8)
    }
    buffer.append(contentsOf: "</cols><sheetData>".utf8)
    rowNumber = 1
    startRow(&buffer)
    for (i, name) in names.enumerated() {
      appendString(name, column: i, style: XLSXParts.headerStyle, &buffer)
    }
    buffer.append(contentsOf: "</row>".utf8)
  }

  /// Writes one row: the original cells with their types, then the appended values as text.
  ///
  /// - Throws: `LeadsheetError` on a write error, or past Excel's 1,048,576 rows.
  public func append(cells: [Cell], result: RowResult) throws {
    guard rowNumber < XLSXOutputWriter.maxRows else {
      throw LeadsheetError(
        .refused, file: summary.path, "more than Excel's 1,048,576 rows",
        hint: "write CSV instead (--format csv)")
    }
    if cells.count != width { summary.reshapedRows += 1 }
    var buffer = pending
    pending = []
    defer { pending = buffer }
    rowNumber += 1
    startRow(&buffer)
    for i in 0..<min(width, cells.count) { appendCell(cells[i], column: i, &buffer) }
    for (j, field) in columns.fields.enumerated() {
      let value = columns.value(of: field, in: result)
      if !value.isEmpty { appendString(value, column: width + j, style: 0, &buffer) }
    }
    buffer.append(contentsOf: "</row>".utf8)
    summary.rows += 1
    if buffer.count >= XLSXOutputWriter.flushThreshold { try flush(&buffer) }
  }

  /// Ends the sheet, writes the other parts and the ZIP directory, and renames the file into place.
  ///
  /// - Throws: `LeadsheetError` (`.storage`) when the file cannot be completed.
  public func finish() throws -> OutputSummary {
    var buffer = pending
    pending = []
    let last = String(decoding: letters[letters.count - 1], as: UTF8.self)
    let ref = "A1:\(last)\(rowNumber)"
    buffer.append(contentsOf: "</sheetData><autoFilter ref=\"\(ref)\"/>".utf8)
    buffer.append(
      contentsOf: """
        <pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>\
        </worksheet>
        """.utf8)
    try flush(&buffer)
    try zip.endEntry()
    let absolute = "$A$1:$\(last)$\(rowNumber)"
    try zip.addEntry(
      "xl/workbook.xml", XLSXParts.workbook(sheetName: sheetName, filterRange: absolute))
    try zip.finish()
    try file.commit()
    summary.bytes = file.bytesWritten
    return summary
  }

  private func flush(_ buffer: inout [UInt8]) throws {
    guard !buffer.isEmpty else { return }
    try zip.write(buffer)
    buffer.removeAll(keepingCapacity: true)
  }

  private func startRow(_ buffer: inout [UInt8]) {
    buffer.append(contentsOf: "<row r=\"".utf8)
    appendDecimal(rowNumber, &buffer)
    buffer.append(contentsOf: "\">".utf8)
  }

  private func appendDecimal(_ n: Int, _ buffer: inout [UInt8]) {
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    var v = n
    withUnsafeMutableBytes(of: &digits) { d in
      repeat {
        d[count] = UInt8(0x30 + v % 10)
        v /= 10
        count += 1
      } while v > 0 && count < 8
      for i in stride(from: count - 1, through: 0, by: -1) { buffer.append(d[i]) }
    }
  }

  /// `<c r="B12"` (without closing `>`).
  private func openCell(_ column: Int, _ buffer: inout [UInt8]) {
    buffer.append(contentsOf: "<c r=\"".utf8)
    buffer.append(contentsOf: letters[column])
    appendDecimal(rowNumber, &buffer)
    buffer.append(0x22)
  }

  private func reference(_ column: Int) -> String {
    String(decoding: letters[column], as: UTF8.self) + String(rowNumber)
  }

  private func appendCell(_ cell: Cell, column: Int, _ buffer: inout [UInt8]) {
    let text = cell.text
    if text.isEmpty { return }
    switch cell.kind {
    case .text:
      appendString(text, column: column, style: 0, &buffer)
    case .number:
      if XLSXOutputWriter.isExcelNumber(text) {
        openCell(column, &buffer)
        buffer.append(contentsOf: "><v>".utf8)
        buffer.append(contentsOf: text.utf8)
        buffer.append(contentsOf: "</v></c>".utf8)
      } else {
        appendString(text, column: column, style: 0, &buffer)
      }
    case .date:
      guard let (value, kind) = ExcelSerialDate.serial(text, hiddenTime: cell.hiddenTime) else {
        appendString(text, column: column, style: 0, &buffer)
        return
      }
      let style: Int
      switch kind {
      case .date: style = XLSXParts.dateStyle
      case .dateTime: style = XLSXParts.dateTimeStyle
      case .time: style = XLSXParts.timeStyle
      }
      openCell(column, &buffer)
      buffer.append(contentsOf: " s=\"\(style)\"><v>".utf8)
      buffer.append(contentsOf: value.utf8)
      buffer.append(contentsOf: "</v></c>".utf8)
    case .boolean:
      let upper = text.uppercased()
      guard upper == "TRUE" || upper == "FALSE" || text == "1" || text == "0" else {
        appendString(text, column: column, style: 0, &buffer)
        return
      }
      openCell(column, &buffer)
      buffer.append(contentsOf: " t=\"b\"><v>".utf8)
      buffer.append(upper == "TRUE" || text == "1" ? 0x31 : 0x30)
      buffer.append(contentsOf: "</v></c>".utf8)
    case .error:
      guard XLSXOutputWriter.errorValues.contains(text) else {
        appendString(text, column: column, style: 0, &buffer)
        return
      }
      openCell(column, &buffer)
      buffer.append(contentsOf: " t=\"e\"><v>".utf8)
      XMLText.append(text, to: &buffer)
      buffer.append(contentsOf: "</v></c>".utf8)
    }
  }

  /// The error values a cell can hold.
  static let errorValues: Set<String> = [
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
  ]

  private func appendString(
    _ original: String, column: Int, style: Int, _ buffer: inout [UInt8]
  ) {
    var text = original
    if text.utf8.count > XLSXOutputWriter.maxCellLength,
      text.utf16.count > XLSXOutputWriter.maxCellLength
    {
      var cut = text.utf16.index(text.utf16.startIndex, offsetBy: XLSXOutputWriter.maxCellLength)
      // Never split a surrogate pair or a grapheme: back up to a character boundary.
      cut = text.rangeOfComposedCharacterSequence(at: cut).lowerBound
      text = String(text[..<cut])
      summary.truncatedCells += 1
      if summary.firstTruncatedCell == nil { summary.firstTruncatedCell = reference(column) }
    }
    openCell(column, &buffer)
    if style != 0 { buffer.append(contentsOf: " s=\"\(style)\"".utf8) }
    buffer.append(contentsOf: " t=\"inlineStr\"><is><t".utf8)
    let bytes = text.utf8
    if let f = bytes.first, let l = bytes.last,
      f == 0x20 || f == 0x09 || f == 0x0A || f == 0x0D || l == 0x20 || l == 0x09 || l == 0x0A
        || l == 0x0D
    {
      buffer.append(contentsOf: " xml:space=\"preserve\"".utf8)
    }
    buffer.append(0x3E)
    if XMLText.append(text, to: &buffer) {
      summary.strippedCells += 1
      if summary.firstStrippedCell == nil { summary.firstStrippedCell = reference(column) }
    }
    buffer.append(contentsOf: "</t></is></c>".utf8)
  }

  /// Whether `s` is a number `<v>` accepts: `-?digits[.digits][e[+-]digits]`.
  static func isExcelNumber(_ s: String) -> Bool {
    var state = 0  // 0 start, 1 int, 2 dot, 3 frac, 4 e, 5 e-sign, 6 exp
    for (i, c) in s.utf8.enumerated() {
      let digit = c >= 0x30 && c <= 0x39
      switch state {
      case 0 where c == 0x2D && i == 0: state = 0
      case 0 where digit, 1 where digit: state = 1
      case 1 where c == 0x2E: state = 2
      case 2 where digit, 3 where digit: state = 3
      case 1 where c == 0x65 || c == 0x45, 3 where c == 0x65 || c == 0x45: state = 4
      case 4 where c == 0x2B || c == 0x2D: state = 5
      case 4 where digit, 5 where digit, 6 where digit: state = 6
      default: return false
      }
    }
    return state == 1 || state == 3 || state == 6
  }
}
