import LeadsheetCore

/// Placeholder: the streaming XLSX reader (issue 2) replaces this file.
public final class XLSXReader: RowReader {
  public let info: SourceInfo
  public var warnings: [IngestWarning] { [] }
  public init(path: String, options: IngestOptions) throws {
    throw LeadsheetError(.unsupported, file: path, "XLSX reading is not built yet")
  }
  public func next() throws -> SourceRow? { nil }
}
