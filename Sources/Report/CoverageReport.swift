import Foundation

/// Everything the coverage report says about one job: the single source of its numbers.
///
/// Built from the job store alone by `CoverageReport.build(store:job:by:)`,
/// then rendered by `TextRenderer`, `MarkdownRenderer`, `HTMLRenderer` and
/// `JSONRenderer`, which only format what is here: the numbers cannot differ
/// between formats. Encoded with snake_case keys; the schema is documented
/// field by field in `docs/report.md` and versioned by `schemaVersion`.
///
/// Rates are fractions in 0…1 rounded to 4 decimals, `nil` (JSON `null`)
/// when their denominator is 0; renderers show them as percentages with one
/// decimal (`ReportFormat.percent`).
public struct CoverageReport: Sendable, Hashable, Codable {
  /// The version of this schema: bumped when a field changes meaning or is removed.
  public static let currentSchemaVersion = 1

  /// The schema version of this report (`currentSchemaVersion` when built).
  public var schemaVersion: Int
  /// When the report was computed (ISO 8601, UTC).
  public var generatedAt: String
  /// Which job, from which file, in which state.
  public var job: JobSection
  /// What was in the list: valid, invalid, duplicates.
  public var input: InputSection
  /// Rows by their status.
  public var rowsByStatus: StatusCounts
  /// What was asked, answered and (as far as the store knows) billed.
  public var cost: CostSection
  /// Found rates for each requested type, in type order.
  public var results: [TypeResult]
  /// Answered rows with a professional email and at least one phone.
  public var bothEmailAndPhone: RateCount?
  /// Failed rows by error class, largest first.
  public var failedByErrorClass: [NamedCount]
  /// Found rates with and without a LinkedIn URL, a domain and a company name.
  public var coverage: [CompletenessSplit]
  /// Found rates per value of each `--by` column, in the order asked.
  public var groups: [ColumnGroups]
  /// How the runs went: duration, throughput, retries, 429s, latency, pauses.
  public var run: RunSection
  /// The bill as the account saw it: credits charged by its balance, per run and
  /// in total, next to leadsheet's count (`nil` only in reports written before it).
  public var accountBill: AccountBill?
  /// What the job spent under its billing model, by type and by day, its budget and
  /// the days the rest takes at the daily cap (`nil` only in reports written before it).
  public var spending: JobSpending?
  /// Caveats and advice, in plain sentences (costs assumed, job unfinished…).
  public var notes: [String]

  /// Creates a report (the builder makes them; tests and tools may too).
  public init(
    schemaVersion: Int = CoverageReport.currentSchemaVersion, generatedAt: String,
    job: JobSection, input: InputSection, rowsByStatus: StatusCounts, cost: CostSection,
    results: [TypeResult], bothEmailAndPhone: RateCount?, failedByErrorClass: [NamedCount],
    coverage: [CompletenessSplit], groups: [ColumnGroups], run: RunSection,
    accountBill: AccountBill? = nil, spending: JobSpending? = nil, notes: [String]
  ) {
    self.spending = spending
    self.accountBill = accountBill
    self.schemaVersion = schemaVersion
    self.generatedAt = generatedAt
    self.job = job
    self.input = input
    self.rowsByStatus = rowsByStatus
    self.cost = cost
    self.results = results
    self.bothEmailAndPhone = bothEmailAndPhone
    self.failedByErrorClass = failedByErrorClass
    self.coverage = coverage
    self.groups = groups
    self.run = run
    self.notes = notes
  }

  /// The report as JSON text (snake_case keys, sorted, pretty-printed), ending with a newline.
  public func jsonText() throws -> String {
    try JSONRenderer().render(self)
  }

  /// Reads a report back from its JSON text.
  ///
  /// - Throws: `DecodingError` for text that is not a report.
  public static func decode(jsonText: String) throws -> CoverageReport {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(CoverageReport.self, from: Data(jsonText.utf8))
  }
}

/// Rounds a rate to 4 decimals; `nil` when the denominator is 0.
func fraction(_ part: Int, _ whole: Int) -> Double? {
  guard whole > 0 else { return nil }
  return (Double(part) / Double(whole) * 10_000).rounded() / 10_000
}
