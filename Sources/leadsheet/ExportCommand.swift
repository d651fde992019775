import ArgumentParser
import Foundation
import JobStore
import LeadsheetCore
import Runner

extension Leadsheet {
  /// `leadsheet export JOB`: write a job's enriched list at any moment.
  struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Write a job's list with the results appended, finished or not (unfinished rows are pending)."
    )

    @Argument(help: "The job id (see leadsheet jobs).")
    var job: String

    @Option(
      help:
        "Only rows with these statuses, comma-separated: found, not_found, invalid, failed, pending, skipped."
    )
    var only: String?

    @OptionGroup var output: OutputArguments
    @OptionGroup var store: StoreArguments

    func run() async throws {
      try await reportingErrors {
        var statuses: Set<RowStatus>?
        if let only {
          statuses = []
          for part in only.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let s = RowStatus(rawValue: name) else {
              throw LeadsheetError(
                .usage, "unknown status '\(part)'",
                hint: "use found, not_found, invalid, failed, pending or skipped")
            }
            statuses?.insert(s)
          }
        }
        let db = try store.open()
        defer { db.close() }
        let found = try requireJob(job, in: db)
        let result = try JobExporter.export(
          store: db, job: found, options: output.exportOptions(only: statuses))
        if result.path != "-" {
          Terminal.standardError.writeLine(
            "wrote \(result.path): \(ProgressPrinter.grouped(result.rows)) rows")
        }
        for w in result.warnings { Terminal.standardError.writeLine("warning: \(w)") }
      }
    }
  }
}
