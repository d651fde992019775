import ArgumentParser
import Foundation
import Ingest
import LeadsheetCore
import Mapping

extension Leadsheet {
  /// `leadsheet inspect FILE`: what a run would do, without sending anything.
  struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Read a lead list and show its format, column mapping, valid rows and the cost of a run.")

    @OptionGroup var input: InputOptions
    @OptionGroup var mapping: MappingArguments

    @Option(
      help: ArgumentHelp(
        "Check and show the send order `enrich --order-by` would use.",
        valueName: "COLUMN[:desc]"))
    var orderBy: String?

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    /// Diagnostics and tests: how many parts a CSV file is read in at once
    /// (even a small one); 0 reads it in one piece, cell by cell, as before.
    @Option(help: .hidden)
    var readParts: Int?

    func run() async throws {
      try await reportingErrors {
        let order = try orderBy.map { try OrderBy.parse($0) }
        var report = try ListInspection.inspect(
          path: input.file, ingest: input.ingestOptions(), mapping: mapping.mappingOptions(),
          parts: readParts)
        if var order {
          // Refused as `enrich` refuses it; shown as the file spells the column.
          order.column =
            report.header[try ColumnMapping.orderColumn(order.column, in: report.header)]
          report.orderBy = order.description
        }
        if json {
          Terminal.standardOutput.writeLine(try report.jsonText())
        } else {
          Terminal.standardOutput.write(report.text())
        }
      }
    }
  }
}
