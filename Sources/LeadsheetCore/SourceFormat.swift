/// The file formats leadsheet reads and writes.
public enum SourceFormat: String, Sendable, Hashable, Codable, CaseIterable {
  /// Delimited text.
  case csv
  /// Office Open XML workbook.
  case xlsx
}

/// What an ingest learned about its input, reported by `leadsheet inspect`.
public struct SourceInfo: Sendable, Hashable, Codable {
  /// The format read.
  public var format: SourceFormat
  /// The text encoding detected or chosen (CSV): `utf-8`, `utf-16le`, `utf-16be`, `windows-1252`.
  public var encoding: String?
  /// Whether the file started with a byte-order mark (CSV).
  public var hasBOM: Bool
  /// The field delimiter (CSV), as a one-character string.
  public var delimiter: String?
  /// How the delimiter was chosen: `sniffed` or `option`.
  public var delimiterSource: String?
  /// All sheets of a workbook in order (XLSX).
  public var sheets: [String]
  /// The sheet read (XLSX).
  public var sheet: String?

  /// Creates an info record.
  public init(
    format: SourceFormat, encoding: String? = nil, hasBOM: Bool = false, delimiter: String? = nil,
    delimiterSource: String? = nil, sheets: [String] = [], sheet: String? = nil
  ) {
    self.format = format
    self.encoding = encoding
    self.hasBOM = hasBOM
    self.delimiter = delimiter
    self.delimiterSource = delimiterSource
    self.sheets = sheets
    self.sheet = sheet
  }

  enum CodingKeys: String, CodingKey {
    case format, encoding, delimiter, sheets, sheet
    case hasBOM = "has_bom"
    case delimiterSource = "delimiter_source"
  }
}
