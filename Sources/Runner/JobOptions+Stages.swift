import Ingest
import LeadsheetCore
import Mapping

extension JobOptions {
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
