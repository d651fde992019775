import Foundation
import JobStore
import LeadsheetCore
import Runner

/// The short texts `enrich` and `resume` print about a job.
enum JobSummaryText {
  /// After a job was created: what it holds and what it may cost.
  static func created(_ built: JobBuilder.Result) -> String {
    let g = ProgressPrinter.grouped
    let s = built.summary
    var text =
      "job \(built.job.id): \(g(built.ingest.rows)) rows, \(g(built.ingest.requests)) requests to send"
    var notes: [String] = []
    if built.ingest.invalid > 0 { notes.append("\(g(built.ingest.invalid)) invalid") }
    if built.ingest.duplicates > 0 {
      notes.append("\(g(built.ingest.duplicates)) duplicates sent once")
    }
    if built.ingest.skipped > 0 { notes.append("\(g(built.ingest.skipped)) skipped") }
    if !notes.isEmpty { text += " (" + notes.joined(separator: ", ") + ")" }
    // The worst case under the job's model (a phone at several numbers under per-number).
    let model = JobOptions(json: built.job.spec.options)?.billingModel ?? BillingModel()
    let worst = model.worstCase(
      credits: s.credits, phoneRequests: s.requestsByType[EnrichmentType.phone.rawValue] ?? 0)
    text +=
      "; at most \(g(worst)) credits, at least \(ProgressPrinter.duration(s.minimumDurationSeconds))"
    for w in built.warnings {
      text +=
        "\nwarning: \(built.job.spec.inputPath)\(w.firstLocation.map { ":\($0)" } ?? ""): \(w.message) (\(g(w.count))×)"
    }
    return text
  }
}
