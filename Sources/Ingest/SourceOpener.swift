import Foundation
import LeadsheetCore

/// Opens an input file as a `Table`, choosing the reader by content.
///
/// A ZIP signature means XLSX whatever the extension; an OLE2 compound file
/// (`D0 CF 11 E0`) is a legacy `.xls` or an encrypted workbook, told apart by
/// its directory (`CompoundFile`) and refused with what to do; a `.xlsx`/`.xlsm` name whose bytes are not a ZIP is refused; anything
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
    if magic.starts(with: CompoundFile.signature) {
      let size = (try? handle.seekToEnd()).map { Int64($0) } ?? 0
      let kind = CompoundFile.classify(size: size) { offset, count in
        guard (try? handle.seek(toOffset: UInt64(offset))) != nil,
          let data = try? handle.read(upToCount: count)
        else { return nil }
        return [UInt8](data)
      }
      throw compoundFileError(kind, path: path, ext: ext)
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

  /// The error for an OLE2 compound file, by what its directory holds.
  static func compoundFileError(_ kind: CompoundFile.Kind, path: String, ext: String)
    -> LeadsheetError
  {
    let resave = "open it in Excel or LibreOffice and save as .xlsx, or export as CSV"
    switch kind {
    case .encryptedPackage:
      return LeadsheetError(
        .refused, file: path, "the workbook is encrypted or password-protected",
        hint: "open it in Excel or LibreOffice with its password and save it as .xlsx without"
          + " one, or export it as CSV")
    case .legacyWorkbook:
      return LeadsheetError(.unsupported, file: path, "an Excel 97–2003 .xls file", hint: resave)
    case .unreadable where ext == "xls":
      return LeadsheetError(
        .unsupported, file: path, "an Excel 97–2003 .xls file (its directory is damaged)",
        hint: resave)
    case .unreadable:
      return LeadsheetError(
        .unsupported, file: path,
        "an OLE2 compound file (a legacy .xls or an encrypted workbook) whose directory is"
          + " damaged", hint: resave)
    case .other:
      return LeadsheetError(
        .unsupported, file: path,
        "an OLE2 compound file (an older Microsoft Office format) that holds no Excel workbook",
        hint: "export the list from the application that made it as .xlsx or CSV")
    }
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
