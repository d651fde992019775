import LeadsheetCore

/// How an output file is written.
///
/// Start from `OutputOptions(matching:)` so a CSV output keeps the input's
/// delimiter and byte-order mark; then override what the user chose.
public struct OutputOptions: Sendable, Hashable {
  /// The line ending of a CSV output.
  public enum LineEnding: String, Sendable, Hashable, CaseIterable {
    /// `\r\n`, as RFC 4180 and Excel write it (the default).
    case crlf
    /// `\n`.
    case lf

    /// The bytes of the line ending.
    public var bytes: [UInt8] { self == .crlf ? [13, 10] : [10] }
  }

  /// The file format to write.
  public var format: SourceFormat
  /// The separator between phone numbers in the `phones` column.
  public var phoneSeparator: String
  /// The prefix given to appended column names when one clashes with an input column.
  public var columnPrefix: String
  /// The CSV field delimiter; one ASCII character other than `"`, CR and LF.
  public var delimiter: Character
  /// Whether a CSV output starts with a UTF-8 byte-order mark.
  public var writesBOM: Bool
  /// The CSV line ending.
  public var lineEnding: LineEnding
  /// The XLSX sheet name (made valid for Excel: ≤ 31 characters, none of `[]:*?/\`).
  public var sheetName: String
  /// The zlib level for XLSX parts, 1 (fastest) to 9 (smallest).
  public var compressionLevel: Int

  /// Creates options; every value has a default.
  public init(
    format: SourceFormat = .csv, phoneSeparator: String = "; ", columnPrefix: String = "pronto_",
    delimiter: Character = ",", writesBOM: Bool = false, lineEnding: LineEnding = .crlf,
    sheetName: String = "Sheet1", compressionLevel: Int = 1
  ) {
    self.format = format
    self.phoneSeparator = phoneSeparator
    self.columnPrefix = columnPrefix
    self.delimiter = delimiter
    self.writesBOM = writesBOM
    self.lineEnding = lineEnding
    self.sheetName = sheetName
    self.compressionLevel = compressionLevel
  }

  /// Options that give back a file like the input: same format, delimiter, BOM, sheet name.
  ///
  /// A CSV input decoded from Windows-1252 or UTF-16 is written as UTF-8 *with*
  /// a BOM, so Excel still reads its accents right; a UTF-8 input keeps its BOM
  /// or its absence. An XLSX input written as CSV gets `,` and no BOM.
  ///
  /// - Parameters:
  ///   - info: What the ingest learned about the input.
  ///   - format: The output format; `nil` for the input's.
  public init(matching info: SourceInfo, format: SourceFormat? = nil) {
    self.init(format: format ?? info.format)
    if info.format == .csv {
      if let d = info.delimiter, d.count == 1, let c = d.first { delimiter = c }
      let encoding = info.encoding?.lowercased() ?? "utf-8"
      let utf8 = ["utf-8", "utf-8-bom", "utf8", "ascii", "us-ascii"].contains(encoding)
      writesBOM = info.hasBOM || !utf8
    }
    if let sheet = info.sheet { sheetName = sheet }
  }

  /// The delimiter as one byte.
  ///
  /// - Throws: `LeadsheetError` (`.usage`) when it is not one ASCII character other
  ///   than `"`, CR, LF.
  func delimiterByte() throws -> UInt8 {
    guard let a = delimiter.asciiValue, a != UInt8(ascii: "\""), a != 10, a != 13 else {
      throw LeadsheetError(
        .usage, "the CSV delimiter must be one ASCII character other than a quote or a line break",
        hint: "use ',', ';', '|' or a tab")
    }
    return a
  }
}
