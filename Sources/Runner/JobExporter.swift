import Foundation
import JobStore
import LeadsheetCore
import Output

/// Writes a job's rows, with their results appended, as the user's enriched list.
///
/// Made from the job alone (the cells it stored at ingest), never by reading
/// the input again: a finished or unfinished job can be exported at any
/// moment, unfinished rows as `pending`. `enrich` calls this when it ends.
public enum JobExporter {
  /// What to write.
  public struct Options: Sendable {
    /// The output path; `nil` for `NAME.enriched.EXT` beside the input; `-` for CSV on stdout.
    public var path: String?
    /// The format; `nil` for the input's.
    public var format: SourceFormat?
    /// Between phone numbers in the `phones` column.
    public var phoneSeparator = "; "
    /// Prefix of appended names that clash with input columns.
    public var columnPrefix = "pronto_"
    /// Only rows with these statuses; `nil` for all.
    public var only: Set<RowStatus>?

    /// Creates options.
    public init(
      path: String? = nil, format: SourceFormat? = nil, phoneSeparator: String = "; ",
      columnPrefix: String = "pronto_", only: Set<RowStatus>? = nil
    ) {
      self.path = path
      self.format = format
      self.phoneSeparator = phoneSeparator
      self.columnPrefix = columnPrefix
      self.only = only
    }
  }

  /// The result columns of a stored row.
  public static func result(of row: JobRow) -> RowResult {
    guard let o = row.outcome, row.status != .invalid, row.status != .skipped else {
      return RowResult(status: row.status, message: row.message)
    }
    var source: RowResult.ResultSource?
    var boughtAt: Date?
    if row.status == .found || row.status == .notFound {
      if o.reused.isEmpty {
        source = .bought
        boughtAt = o.finishedAt
      } else {
        source = o.reused.bought.isEmpty ? .reused : .partlyReused
        boughtAt = o.reused.oldestPurchase
      }
    }
    return RowResult(
      status: row.status, email: o.email, emailStatus: o.emailStatus,
      personalEmail: o.personalEmail, personalEmailStatus: o.personalEmailStatus,
      phones: o.phones, phoneStatus: o.phoneStatus, message: row.message,
      enrichmentID: o.enrichmentID, source: source, boughtAt: boughtAt)
  }

  /// Writes the job's output file.
  ///
  /// - Returns: What was written.
  /// - Throws: `LeadsheetError` when the file cannot be written (never half a file
  ///   under the final name) or the path is the input's.
  public static func export(store: JobStore, job: Job, options: Options) throws -> OutputSummary {
    let stored = try StoredMapping.decode(job.spec.mapping)
    let format = options.format ?? job.spec.format
    var outputOptions = OutputOptions(matching: stored.info, format: format)
    outputOptions.phoneSeparator = options.phoneSeparator
    outputOptions.columnPrefix = options.columnPrefix
    let path = options.path ?? OutputPath.defaultPath(forInput: job.spec.inputPath, format: format)
    let writer = try OutputWriters.open(
      path: path, inputPath: job.spec.inputPath, header: stored.rawHeader,
      requested: job.spec.enrichmentTypes, options: outputOptions)
    try store.forEachRow(job: job.id) { row in
      if let only = options.only, !only.contains(row.status) { return }
      try writer.append(cells: row.cells, result: result(of: row))
    }
    return try writer.finish()
  }
}
