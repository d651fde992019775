import ArgumentParser
import Foundation
import Ingest
import JobStore
import LeadsheetCore
import Mapping
import Runner

extension Leadsheet {
  /// `leadsheet inspect FILE`: what a run would do, without sending anything.
  struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Read a lead list and show its format, column mapping, valid rows and the cost of a run.")

    @OptionGroup var input: InputOptions
    @OptionGroup var mapping: MappingArguments
    @OptionGroup var reuse: ReuseArguments
    @OptionGroup var stages: StageArguments

    @Option(
      help:
        "The job database whose contact store to count reuse from (default: $LEADSHEET_DB, else ~/.local/state/leadsheet/jobs.sqlite; not created)."
    )
    var db: String?

    @Option(
      help: ArgumentHelp(
        "Check and show the send order `enrich --order-by` would use.",
        valueName: "COLUMN[:desc]"))
    var orderBy: String?

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    @Option(help: "The billing model to estimate under: per-request, per-found or per-number.")
    var billing: BillingModel.Kind = .perRequest

    @Option(help: "Under per-number: the numbers each phone is counted at (default 3).")
    var maxPhoneNumbers: Int?

    @Option(help: "A budget to estimate within (as enrich's --max-credits).")
    var maxCredits: Int?

    @Option(help: "Credits a day to count the days at (default: Pronto's 2,500).")
    var dailyCredits: Int?

    /// Diagnostics and tests: how many parts a CSV file is read in at once
    /// (even a small one); 0 reads it in one piece, cell by cell, as before.
    @Option(help: .hidden)
    var readParts: Int?

    func validate() throws {
      if let maxPhoneNumbers, maxPhoneNumbers < 1 {
        throw ValidationError("--max-phone-numbers must be 1 or more")
      }
    }

    func run() async throws {
      try await reportingErrors {
        let options = try mapping.mappingOptions()
        let order = try orderBy.map { try OrderBy.parse($0) }
        var report = try ListInspection.inspect(
          path: input.file, ingest: input.ingestOptions(), mapping: options, parts: readParts)
        if var order {
          // Refused as `enrich` refuses it; shown as the file spells the column.
          order.column =
            report.header[try ColumnMapping.orderColumn(order.column, in: report.header)]
          report.orderBy = order.description
        }
        let model = BillingModel(
          billing, costs: options.creditCosts,
          phoneNumbersAtMost: maxPhoneNumbers ?? BillingModel.defaultPhoneNumbersAtMost)
        let s = report.summary
        let path = db ?? JobStore.defaultPath()
        if FileManager.default.fileExists(atPath: path) {
          let store = try JobStore(path: path)
          defer { store.close() }
          report.reuse = try ListInspection.storeCoverage(
            path: input.file, ingest: input.ingestOptions(), mapping: options, store: store,
            policy: reuse.policy, billing: model)
        }
        report.estimate = SpendEstimate(
          requests: s.requests, requestsByType: s.requestsByType,
          worstCase: model.worstCase(
            credits: s.credits,
            phoneRequests: s.requestsByType[EnrichmentType.phone.rawValue] ?? 0),
          maxPerRequest: model.worstCase(types: options.types), billing: billing,
          maxCredits: maxCredits, dailyCredits: dailyCredits)
        report.estimate?.reuse = report.reuse
        let stage = stages.policy
        if stage.isActive {
          try stage.check(types: options.types)
          let store = FileManager.default.fileExists(atPath: path) ? try JobStore(path: path) : nil
          defer { store?.close() }
          report.estimate?.staged = try ListInspection.stagedCost(
            path: input.file, ingest: input.ingestOptions(), mapping: options, store: store,
            reuse: reuse.policy, stage: stage, billing: model)
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
