import ArgumentParser
import Foundation
import JobStore
import LeadsheetCore
import Runner

extension Leadsheet {
  /// `leadsheet resume JOB`: continue a paused or interrupted job.
  struct Resume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Continue a paused or interrupted job where it stopped, without paying twice.")

    @Argument(help: "The job id (see leadsheet jobs).")
    var job: String

    @Flag(help: "Also send again the requests that failed (not the invalid rows).")
    var retryFailed = false

    @Option(
      help: ArgumentHelp(
        "Send the pending requests in the order of COLUMN from now on (:desc for highest first).",
        discussion: "Without it the job keeps the order it was created with.",
        valueName: "COLUMN[:desc]"))
    var orderBy: String?

    @OptionGroup var run: RunArguments
    @OptionGroup var store: StoreArguments
    @OptionGroup var output: OutputArguments

    @Flag(help: "Print the final summary as JSON on stdout.")
    var json = false

    func run() async throws {
      try await reportingErrors {
        let db = try store.open()
        let found = try requireJob(job, in: db)
        let path = found.spec.inputPath
        if FileManager.default.fileExists(atPath: path) {
          let now = try FileFingerprint.of(path: path)
          if now.hex != found.spec.inputSHA256 {
            throw LeadsheetError(
              .refused, file: path,
              "changed since job \(found.id) was created: its bytes no longer match",
              hint: "start a new job with leadsheet enrich \(path) --new;"
                + " the old job's rows can still be written with leadsheet export \(found.id)")
          }
        }
        if let orderBy, let order = try JobOrdering.apply(orderBy, to: found, in: db) {
          Say(quiet: run.quiet || json).line(
            "job \(found.id): pending requests now sent \(order.phrase)")
        }
        var ingest: LiveIngest?
        if found.state.name == "ingesting" {
          guard FileManager.default.fileExists(atPath: path) else {
            throw LeadsheetError(
              .refused, file: path,
              "job \(found.id) was interrupted while its list was being stored, and the list is gone",
              hint: "put the file back to continue, or purge the job: leadsheet purge \(found.id)")
          }
          // Same bytes (checked above): carry on after the last stored chunk.
          ingest = try JobBuilder.continueIngest(databasePath: store.path, job: found.id)
          Say(quiet: run.quiet || json).line(
            "job \(found.id): storing the rest of \(path) from row \(ingest?.committed?.rows ?? 0)")
        }
        if retryFailed {
          let n = try db.resetFailed(job: found.id)
          Say(quiet: run.quiet || json).line("\(n) failed requests will be sent again")
        } else if found.state.name == "done" {
          Say(quiet: run.quiet || json).line(
            "job \(found.id) is already done; pass --retry-failed to retry its failed rows,"
              + " or write its output with leadsheet export \(found.id)")
          return
        }
        db.close()
        let exit = try await JobSession(
          jobID: found.id, databasePath: store.path, run: run, output: output, json: json,
          ingest: ingest
        ).runAndExport()
        if exit != 0 { throw ExitCode(exit) }
      }
    }
  }
}
