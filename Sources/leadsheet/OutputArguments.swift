import ArgumentParser
import LeadsheetCore
import Runner

/// Where and how to write the enriched list: options shared by `enrich`, `resume` and `export`.
struct OutputArguments: ParsableArguments {
  @Option(
    name: .shortAndLong,
    help: "The output file (default: NAME.enriched.EXT beside the input; '-' for CSV on stdout).")
  var output: String?

  @Option(help: "The output format: csv or xlsx (default: the input's).")
  var format: String?

  @Option(help: "Between phone numbers in the phones column.")
  var phonesSeparator = "; "

  @Option(help: "Prefix of appended column names that clash with input columns.")
  var columnPrefix = "pronto_"

  /// The exporter's options.
  func exportOptions(only: Set<RowStatus>? = nil) throws -> JobExporter.Options {
    var f: SourceFormat?
    if let format {
      guard let parsed = SourceFormat(rawValue: format.lowercased()) else {
        throw LeadsheetError(.usage, "unknown format '\(format)'", hint: "use csv or xlsx")
      }
      f = parsed
    }
    if output == "-" && (f ?? .csv) != .csv {
      throw LeadsheetError(.usage, "only CSV can be written to stdout", hint: "pass -o FILE.xlsx")
    }
    return JobExporter.Options(
      path: output, format: f, phoneSeparator: phonesSeparator, columnPrefix: columnPrefix,
      only: only)
  }
}
