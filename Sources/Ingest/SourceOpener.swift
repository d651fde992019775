import Foundation
import LeadsheetCore

/// Opens an input file as a `Table`, choosing the reader by content.
///
/// A ZIP signature means XLSX whatever the extension; an OLE2 compound file
/// (`D0 CF 11 E0`) is an encrypted workbook or a legacy `.xls`, refused with a
/// hint; a `.xlsx`/`.xlsm` name whose bytes are not a ZIP is refused; anything
/// else is read as CSV.
public enum SourceOpener {
  /// Detects the format of `path` from its first bytes and its extension.
  ///
  /// - Throws: `LeadsheetError` when the file cannot be opened or is of a refused kind.
  public static func detectFormat(path: String) throws -> SourceFormat {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
        throw LeadsheetError(
          .unreadable, file: path,
          isDir.boolValue ? "is a folder, not a file" : "cannot be read (permission denied)",
          hint: isDir.boolValue
            ? "name the CSV or XLSX file inside it" : "check the file's permissions")
      }
      throw LeadsheetError(.unreadable, file: path, "no such file", hint: "check the path")
    }
    defer { try? handle.close() }
    let magic = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
    let ext = (path as NSString).pathExtension.lowercased()
    if magic.starts(with: [0x50, 0x4B, 0x03, 0x04]) || magic.starts(with: [0x50, 0x4B, 0x05, 0x06])
    {
      return .xlsx
    }
    if magic.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
      throw LeadsheetError(
        .refused, file: path,
        ext == "xls"
          ? "legacy Excel 97-2003 (.xls) workbooks are not supported"
          : "the workbook is encrypted or password-protected",
        hint: "open it in Excel or LibreOffice and save it as .xlsx without a password, or as CSV")
    }
    if ["xlsx", "xlsm", "xltx", "xltm"].contains(ext) {
      throw LeadsheetError(
        .malformed, file: path, "not a valid XLSX file (no ZIP signature)",
        hint: "re-export it from the spreadsheet application, or rename it to .csv if it is text")
    }
    if ext == "xls" || ext == "numbers" || ext == "ods" {
      throw LeadsheetError(
        .unsupported, file: path, ".\(ext) files are not supported",
        hint: "save the sheet as .xlsx or .csv")
    }
    return .csv
  }

  /// Opens `path` and reads up to its header.
  ///
  /// - Parameters:
  ///   - path: The file to read.
  ///   - options: Overrides of what is otherwise detected.
  /// - Throws: `LeadsheetError` naming the file and what to do.
  public static func openTable(path: String, options: IngestOptions = IngestOptions()) throws
    -> Table
  {
    let reader: any RowReader
    switch try detectFormat(path: path) {
    case .csv: reader = try CSVReader(path: path, options: options)
    case .xlsx: reader = try XLSXReader(path: path, options: options)
    }
    return try Table(reader: reader, file: path, headerRow: options.headerRow)
  }
}
