import Foundation
import JobStore
import LeadsheetCore

extension CoverageReport {
  /// The request fields whose presence the coverage section splits on.
  public static let completenessFields = ["linkedin_url", "domain", "company_name"]

  /// Computes the report of a job from the store alone, in one pass over its rows.
  ///
  /// Works for a finished or unfinished job: pending rows are counted as
  /// such and left out of every found rate. Memory is constant except the
  /// `--by` value counts, bounded at `ColumnCounter.defaultLimit` distinct
  /// values per column (later values join the rest group).
  ///
  ///     let report = try CoverageReport.build(store: store, job: id, by: ["Country"])
  ///     print(TextRenderer().render(report))
  ///
  /// - Parameters:
  ///   - store: The job store.
  ///   - job: The job.
  ///   - by: Input column names to group found rates by (exact, else case-insensitive).
  ///   - dailyCredits: The daily cap to project the days left at (`nil`: Pronto's 2,500).
  ///   - now: The report's time (tests pass a fixed one).
  /// - Throws: `LeadsheetError(.notFound)` for an unknown job or column (with the
  ///   closest column names), `LeadsheetError(.storage)` for a database failure.
  public static func build(
    store: JobStore, job id: JobID, by: [String] = [], dailyCredits: Int? = nil,
    now: Date = Date()
  ) throws -> CoverageReport {
    guard let job = try store.job(id) else {
      throw LeadsheetError(
        .notFound, file: store.path, "no job \(id) in this database",
        hint: "leadsheet jobs lists them")
    }
    let columns = try by.map { try ColumnResolver.resolve($0, header: job.spec.header, job: id) }
    // The options as the job wrote them; unreadable ones count as absent.
    let options = JobOptions(json: job.spec.options) ?? JobOptions(types: [])
    let types = (job.spec.enrichmentTypes.isEmpty ? options.types : job.spec.enrichmentTypes)
      .map(\.rawValue)
    var pass = ReportPass(types: types, costs: options.reportCreditCosts)
    pass.columns = columns.map { ColumnCounter(column: $0.name, index: $0.index) }
    try store.forEachReportRow(job: id) { pass.add($0) }
    let runs = try store.runs(job: id)
    let latency = try store.latency(job: id)
    let (spending, bill) = try JobSpending.read(
      store: store, job: id, dailyCredits: dailyCredits, now: now)
    return pass.report(
      job: job, options: options, runs: runs, latency: latency,
      rateLimit: options.reportRateLimit, accountBill: bill, spending: spending, now: now)
  }
}

/// ISO 8601 text of a date, UTC, whole seconds.
func isoText(_ date: Date) -> String {
  let formatter = ISO8601DateFormatter()
  formatter.formatOptions = [.withInternetDateTime]
  return formatter.string(from: date)
}
