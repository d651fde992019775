import ArgumentParser
import Foundation
import JobStore
import LeadsheetCore
import Report

extension Leadsheet {
  /// `leadsheet report JOB`: what a job found, what it cost, and what to fix in the list.
  struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show what a job found, what it cost, and what to fix in the list to get more.",
      discussion: """
        Computed from the job store alone, for a finished or unfinished job. Formats: text \
        (default), json (schema in docs/report.md), md (Markdown), html (one self-contained \
        page with charts). The numbers are the same in every format.
        """)

    @Argument(help: "The job's id (leadsheet jobs lists them).")
    var job: String

    @Option(help: "The output format.")
    var format: ReportOutputFormat = .text

    @Option(
      name: .shortAndLong, help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(
      name: .customLong("by"),
      help: ArgumentHelp(
        "Also show found rates per value of this input column.", valueName: "COLUMN"))
    var by: [String] = []

    @Option(
      help: "The job database (default: LEADSHEET_DB, else ~/.local/state/leadsheet/jobs.sqlite).")
    var db: String?

    func run() async throws {
      try await reportingErrors {
        guard let id = JobID(job) else {
          throw LeadsheetError(
            .usage, "'\(job)' is not a job id",
            hint: "ids are 6 characters; leadsheet jobs lists them")
        }
        let store = try JobStore(path: db ?? JobStore.defaultPath())
        defer { store.close() }
        let report = try CoverageReport.build(store: store, job: id, by: by)
        let text = format.renderer.render(report)
        if let output, output != "-" {
          do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            // The report may quote values from the list: readable by the user only.
            try FileManager.default.setAttributes(
              [.posixPermissions: 0o600], ofItemAtPath: output)
          } catch {
            throw LeadsheetError(
              .storage, file: output, "cannot write the report: \(error.localizedDescription)")
          }
          Terminal.standardError.writeLine("report written to \(output)")
        } else {
          Terminal.standardOutput.write(text)
        }
      }
    }
  }
}

extension ReportOutputFormat: ExpressibleByArgument {}
