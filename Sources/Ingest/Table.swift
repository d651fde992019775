import Foundation
import LeadsheetCore

/// The rows of an input file under its header: blank rows skipped, every row
/// exactly as wide as the header.
///
/// The header is the first non-blank record, or record `headerRow` when given.
/// Blank header names become `Column C` (by column letter); repeated names get
/// ` (2)`, ` (3)`… so every column has a unique name.
///
/// A row shorter than the header is padded with empty cells; a longer one is
/// cut. Both are counted in `warnings` (with the first record where each
/// happened), never silent. Cutting only drops blank cells silently; a
/// non-blank cell beyond the header is counted as `cutRows`.
public final class Table {
  /// Counted, non-fatal problems met while reading.
  public struct Warnings: Sendable, Hashable, Codable {
    /// Rows that had fewer cells than the header and were padded.
    public var paddedRows = 0
    /// The first such row.
    public var firstPaddedRow: Int?
    /// Rows that had non-blank cells beyond the header, which were dropped.
    public var cutRows = 0
    /// The first such row.
    public var firstCutRow: Int?
    /// Blank rows skipped.
    public var blankRows = 0

    /// Counts row `number` as padded.
    mutating func notePadded(_ number: Int) {
      paddedRows += 1
      if firstPaddedRow == nil { firstPaddedRow = number }
    }

    /// Counts row `number` as cut.
    mutating func noteCut(_ number: Int) {
      cutRows += 1
      if firstCutRow == nil { firstCutRow = number }
    }
  }

  /// The reader underneath.
  public let reader: any RowReader
  /// The file as the user named it, for messages.
  public let file: String
  /// Unique column names, left to right.
  public let header: [String]
  /// The header's cells as read.
  public let rawHeader: [String]
  /// The record number of the header.
  public let headerRowNumber: Int
  /// What the reader detected.
  public var info: SourceInfo { reader.info }
  /// Problems counted so far.
  public private(set) var warnings = Warnings()
  /// The reader, when it can hand out field bytes (CSV).
  private let rawReader: (any RawRowReader)?
  /// Whether `nextRaw()` can be used: the reader is a CSV reader.
  public var readsRawRows: Bool { rawReader != nil }

  /// Reads up to and including the header.
  ///
  /// - Parameters:
  ///   - reader: The file's records.
  ///   - file: The file name for messages.
  ///   - headerRow: The 1-based record holding the header; `nil` for the first non-blank one.
  /// - Throws: `LeadsheetError` when the file has no header row.
  public init(reader: any RowReader, file: String, headerRow: Int? = nil) throws {
    self.reader = reader
    self.rawReader = reader as? any RawRowReader
    self.file = file
    var found: SourceRow?
    var skipped = 0
    while let row = try reader.next() {
      if let headerRow {
        if row.number < headerRow { continue }
        if row.number > headerRow {
          throw LeadsheetError(
            .notFound, file: file, "row \(headerRow) is empty or missing",
            hint: "pass --header-row with the row that holds the column names")
        }
        found = row
        break
      }
      if row.isBlank {
        skipped += 1
        continue
      }
      found = row
      break
    }
    guard var headerRow = found else { throw Table.noData(reader.info, file: file) }
    // Trailing blank header cells are not columns.
    while let last = headerRow.cells.last, last.isBlank { headerRow.cells.removeLast() }
    guard !headerRow.cells.isEmpty else {
      throw LeadsheetError(
        .malformed, file: file, location: .line(headerRow.number), "the header row is blank",
        hint: "pass --header-row with the row that holds the column names")
    }
    self.headerRowNumber = headerRow.number
    self.rawHeader = headerRow.cells.map(\.text)
    self.header = Table.uniqueNames(rawHeader)
    self.warnings.blankRows = skipped
  }

  /// The error for a file (or a workbook's chosen sheet) without a header row.
  ///
  /// For a workbook it names the sheet read and lists the others:
  /// `sheet 'Dialog1' holds no data (the other sheets are 'Leads'; pass --sheet …)`.
  static func noData(_ info: SourceInfo, file: String) -> LeadsheetError {
    guard let sheet = info.sheet else {
      return LeadsheetError(
        .malformed, file: file, "no header row: the file holds no data",
        hint: "check that this is the exported list")
    }
    let others = info.sheets.filter { $0 != sheet }
    let list = others.map { "'\($0)'" }.joined(separator: ", ")
    return LeadsheetError(
      .malformed, file: file, "no header row: sheet '\(sheet)' holds no data",
      hint: others.isEmpty
        ? "the workbook has no other sheet; check that this is the exported list"
        : "the other sheets are \(list); pass --sheet with a name or a 1-based index")
  }

  /// A table over `reader`, a later part of the same file as `table`: it has
  /// `table`'s header and reads every record of `reader` as data.
  init(continuing table: Table, reader: any RowReader) {
    self.reader = reader
    self.rawReader = reader as? any RawRowReader
    self.file = table.file
    self.header = table.header
    self.rawHeader = table.rawHeader
    self.headerRowNumber = table.headerRowNumber
  }

  /// The next data row as field bytes, valid until the next read, or `nil`
  /// at the end; only when `readsRawRows`.
  ///
  /// Blank rows are skipped and counted, and the row's `count` is cut to the
  /// header's width (fields past it read as empty), with the same warnings as `next()`.
  /// - Throws: `LeadsheetError` from the reader.
  public func nextRaw() throws -> RawRow? {
    guard let rawReader else { preconditionFailure("nextRaw() needs a CSV reader") }
    while var row = try rawReader.nextRaw() {
      if row.isBlank {
        warnings.blankRows += 1
        continue
      }
      let width = header.count
      if row.count < width {
        warnings.notePadded(row.number)
      } else if row.count > width {
        if (width..<row.count).contains(where: { !row.isBlank($0) }) {
          warnings.noteCut(row.number)
        }
        row.count = width
      }
      return row
    }
    return nil
  }

  /// The next data row, exactly `header.count` cells wide, or `nil` at the end.
  ///
  /// - Throws: `LeadsheetError` from the reader.
  public func next() throws -> SourceRow? {
    while var row = try reader.next() {
      if row.isBlank {
        warnings.blankRows += 1
        continue
      }
      let width = header.count
      if row.cells.count < width {
        warnings.notePadded(row.number)
        row.cells.append(contentsOf: repeatElement(Cell.empty, count: width - row.cells.count))
      } else if row.cells.count > width {
        if row.cells[width...].contains(where: { !$0.isBlank }) { warnings.noteCut(row.number) }
        row.cells.removeSubrange(width...)
      }
      return row
    }
    return nil
  }

  /// Makes header names unique and non-blank.
  ///
  /// `["Email", "", "Email"]` → `["Email", "Column B", "Email (2)"]`.
  public static func uniqueNames(_ names: [String]) -> [String] {
    var seen: [String: Int] = [:]
    var result: [String] = []
    result.reserveCapacity(names.count)
    for (i, raw) in names.enumerated() {
      var name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
      if name.isEmpty { name = "Column \(SourceLocation.columnLetters(i))" }
      let key = name.lowercased()
      if let n = seen[key] {
        var k = n + 1
        while seen["\(key) (\(k))"] != nil { k += 1 }
        seen[key] = k
        name = "\(name) (\(k))"
        seen[name.lowercased()] = 1
      } else {
        seen[key] = 1
      }
      result.append(name)
    }
    return result
  }
}

extension Table {
  /// Every counted problem: the reader's and the table's own (padded and cut rows).
  public var allWarnings: [IngestWarning] {
    reader.warnings + warnings.ingestWarnings
  }
}

extension Table.Warnings {
  /// The padded- and cut-row warnings.
  var ingestWarnings: [IngestWarning] {
    var result: [IngestWarning] = []
    let warnings = self
    if warnings.paddedRows > 0 {
      result.append(
        IngestWarning(
          kind: "padded-rows", count: warnings.paddedRows,
          firstLocation: warnings.firstPaddedRow.map(String.init),
          message: "rows with fewer cells than the header were padded with empty cells"))
    }
    if warnings.cutRows > 0 {
      result.append(
        IngestWarning(
          kind: "cut-rows", count: warnings.cutRows,
          firstLocation: warnings.firstCutRow.map(String.init),
          message: "rows with more cells than the header: the extra cells are not kept"))
    }
    return result
  }
}
