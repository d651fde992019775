import Ingest
import LeadsheetCore
import Mapping

/// The options that shape a job's rows and requests, stored with the job as JSON.
///
/// Two runs of `enrich` on the same input bytes with equal `JobOptions` are
/// the same job: the second resumes the first instead of paying again.
public struct JobOptions: Sendable, Hashable, Codable {
  /// `--types`.
  public var types: [EnrichmentType]
  /// Every `--map` value, in order.
  public var maps: [String]
  /// `--phone-countries`.
  public var phoneCountries: String?
  /// `--delimiter` (as a one-character string).
  public var delimiter: String?
  /// `--encoding`.
  public var encoding: String?
  /// `--sheet`.
  public var sheet: String?
  /// `--header-row`.
  public var headerRow: Int?
  /// `--only-missing COLUMN`: rows whose COLUMN already holds a value are skipped.
  public var onlyMissing: String?
  /// Rows per chunk.
  public var chunkSize: Int
  /// `--credit-cost`, kept for the report's estimate; not part of the job's identity.
  public var creditCosts: String?
  /// `--max-cell-bytes` (`nil`: the default 1 MiB); a guard, not part of the job's identity.
  public var maxCellBytes: Int?

  /// Creates options.
  public init(
    types: [EnrichmentType] = [.email], maps: [String] = [], phoneCountries: String? = nil,
    delimiter: String? = nil, encoding: String? = nil, sheet: String? = nil,
    headerRow: Int? = nil, onlyMissing: String? = nil, chunkSize: Int = 100,
    creditCosts: String? = nil, maxCellBytes: Int? = nil
  ) {
    self.creditCosts = creditCosts
    self.maxCellBytes = maxCellBytes
    self.types = types
    self.maps = maps
    self.phoneCountries = phoneCountries
    self.delimiter = delimiter
    self.encoding = encoding
    self.sheet = sheet
    self.headerRow = headerRow
    self.onlyMissing = onlyMissing
    self.chunkSize = chunkSize
  }

  enum CodingKeys: String, CodingKey {
    case types, maps, delimiter, encoding, sheet
    case phoneCountries = "phone_countries"
    case headerRow = "header_row"
    case onlyMissing = "only_missing"
    case chunkSize = "chunk_size"
    case creditCosts = "credit_costs"
    case maxCellBytes = "max_cell_bytes"
  }

  /// The options that make two runs the same job (everything but the credit costs
  /// and the cell-size guard).
  public var identity: JobOptions {
    var copy = self
    copy.creditCosts = nil
    copy.maxCellBytes = nil
    return copy
  }

  /// The ingest options these describe.
  public func ingestOptions() -> IngestOptions {
    var options = IngestOptions(
      delimiter: delimiter?.utf8.first, encoding: encoding.flatMap(TextEncoding.init(rawValue:)),
      sheet: sheet, headerRow: headerRow)
    if let maxCellBytes { options.limits.maxCellBytes = maxCellBytes }
    return options
  }

  /// The mapping options these describe.
  ///
  /// - Throws: `LeadsheetError(.usage)` for a malformed `--map` or country list.
  public func mappingOptions() throws -> MappingOptions {
    try MappingOptions(
      types: types, maps: maps, phoneCountries: phoneCountries, creditCosts: creditCosts)
  }
}
