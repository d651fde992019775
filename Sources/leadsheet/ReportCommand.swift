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

    @OptionGroup var store: StoreArguments

    func run() async throws {
      try await reportingErrors {
        let db = try store.open()
        defer { db.close() }
        let id = try requireJob(job, in: db).id
        let report = try CoverageReport.build(store: db, job: id, by: by)
        let text = format.renderer.render(report)
        if let output, output != "-" {
          try ReportFile.write(text, to: output)
          Terminal.standardError.writeLine("report written to \(output)")
        } else {
          Terminal.standardOutput.write(text)
        }
      }
    }
  }
}

extension ReportOutputFormat: ExpressibleByArgument {}
