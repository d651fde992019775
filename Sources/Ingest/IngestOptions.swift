import LeadsheetCore

/// How to read an input file; every field defaults to "detect".
public struct IngestOptions: Sendable, Hashable {
  /// CSV field delimiter; `nil` sniffs among `,` `;` tab `|`.
  public var delimiter: UInt8?
  /// CSV text encoding; `nil` detects it (byte-order mark, UTF-16/UTF-32 by
  /// pattern, UTF-8 validity, else Windows-1252).
  public var encoding: TextEncoding?
  /// XLSX sheet by name or 1-based index; `nil` is the first visible sheet.
  public var sheet: String?
  /// 1-based row (CSV: record) holding the header; `nil` is the first non-empty row.
  public var headerRow: Int?
  /// Limits that protect memory and time against hostile files.
  public var limits: IngestLimits

  /// Creates options.
  public init(
    delimiter: UInt8? = nil, encoding: TextEncoding? = nil, sheet: String? = nil,
    headerRow: Int? = nil, limits: IngestLimits = IngestLimits()
  ) {
    self.delimiter = delimiter
    self.encoding = encoding
    self.sheet = sheet
    self.headerRow = headerRow
    self.limits = limits
  }
}

/// Bounds on what one file may cost; exceeding one is a clear `LeadsheetError(.refused)`.
public struct IngestLimits: Sendable, Hashable {
  /// Longest cell in UTF-8 bytes (1 MiB): a guard against garbage, not Excel's
  /// 32,767-character limit (the XLSX writer cuts longer cells, counted).
  /// Longer CSV fields and XLSX strings are refused.
  public var maxCellBytes: Int = 1 << 20
  /// Most columns in one row.
  public var maxColumns: Int = 16_384
  /// Largest total uncompressed size of the XLSX parts read, in bytes.
  public var maxUncompressedBytes: Int64 = 4 << 30
  /// Largest compression ratio of one XLSX part (uncompressed / compressed).
  public var maxCompressionRatio: Int64 = 1_000
  /// Bytes of an XLSX shared-string table kept in memory; past them the
  /// table's text moves to a temporary file (`SharedStringTable`), so that
  /// memory does not grow with the workbook.
  public var sharedStringsInMemory: Int = 16 << 20

  /// Creates the default limits.
  public init() {}
}
