import Foundation
import JobStore
import LeadsheetCore

/// How much of a list the contact store already answers under a `ReusePolicy`:
/// what `inspect` and `enrich`'s estimate say before anything is bought.
///
/// Fed one planned request at a time with its contact's stored answers; each distinct
/// contact counts once (as a run sends it once).
///
///     var coverage = StoreCoverage(policy: ReusePolicy(), billing: model)
///     coverage.add(request, stored: store.storedAnswers(of: identity), now: now)
///     coverage.rowsCovered     // rows whose every type is already bought
///     coverage.creditsSaved    // what those answers would cost again (worst case)
public struct StoreCoverage: Sendable, Hashable, Codable {
  /// Rows whose every requested type is in the store within the policy's ages.
  public var rowsCovered = 0
  /// Rows with some of their types in the store.
  public var rowsPartlyCovered = 0
  /// Distinct contacts with at least one reused type.
  public var contacts = 0
  /// Reused answers by type (one per distinct contact).
  public var reusedByType: [String: Int] = [:]
  /// What the reused answers would cost if bought again, worst case under the model.
  public var creditsSaved = 0
  /// `--max-age` in force (`90d`; `0` = always buy).
  public var maxAge: String
  /// `--recheck-not-found-after` in force.
  public var recheckNotFoundAfter: String
  /// Whether `--refresh` is on (nothing is reused).
  public var refresh: Bool

  private var policy: ReusePolicy
  private var billing: BillingModel
  private var seen: Set<String> = []

  enum CodingKeys: String, CodingKey {
    case contacts, refresh
    case rowsCovered = "rows_covered"
    case rowsPartlyCovered = "rows_partly_covered"
    case reusedByType = "reused_by_type"
    case creditsSaved = "credits_saved"
    case maxAge = "max_age"
    case recheckNotFoundAfter = "recheck_not_found_after"
  }

  /// An empty coverage under `policy`, costed under `billing`.
  public init(policy: ReusePolicy, billing: BillingModel) {
    self.policy = policy
    self.billing = billing
    maxAge = ReusePolicy.text(policy.maxAge)
    recheckNotFoundAfter = ReusePolicy.text(policy.recheckNotFoundAfter)
    refresh = policy.refresh
  }

  /// Decodes a coverage (the policy and model are not kept: only the figures).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(policy: ReusePolicy(), billing: BillingModel(.perRequest))
    rowsCovered = try c.decode(Int.self, forKey: .rowsCovered)
    rowsPartlyCovered = try c.decode(Int.self, forKey: .rowsPartlyCovered)
    contacts = try c.decode(Int.self, forKey: .contacts)
    reusedByType = try c.decode([String: Int].self, forKey: .reusedByType)
    creditsSaved = try c.decode(Int.self, forKey: .creditsSaved)
    maxAge = try c.decode(String.self, forKey: .maxAge)
    recheckNotFoundAfter = try c.decode(String.self, forKey: .recheckNotFoundAfter)
    refresh = try c.decode(Bool.self, forKey: .refresh)
  }

  /// Encodes the figures.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(rowsCovered, forKey: .rowsCovered)
    try c.encode(rowsPartlyCovered, forKey: .rowsPartlyCovered)
    try c.encode(contacts, forKey: .contacts)
    try c.encode(reusedByType, forKey: .reusedByType)
    try c.encode(creditsSaved, forKey: .creditsSaved)
    try c.encode(maxAge, forKey: .maxAge)
    try c.encode(recheckNotFoundAfter, forKey: .recheckNotFoundAfter)
    try c.encode(refresh, forKey: .refresh)
  }

  /// Counts one row's request, given its contact's stored answers (by type key).
  public mutating func add(_ request: EnrichRequest, stored: [String: StoredAnswer], now: Date) {
    guard !stored.isEmpty, let identity = ContactIdentity(request) else { return }
    let plan = policy.plan(
      types: request.enrichmentType, countries: request.phoneCountryCodes, stored: stored,
      now: now)
    guard !plan.reused.isEmpty else { return }
    if plan.toBuy.isEmpty { rowsCovered += 1 } else { rowsPartlyCovered += 1 }
    // A contact repeated in the list is sent once: its savings count once.
    let key =
      identity.key + "\u{1F}" + request.enrichmentType.map(\.rawValue).joined(separator: ",")
    guard seen.insert(key).inserted else { return }
    contacts += 1
    let types = plan.reused.keys.sorted()
    for type in types { reusedByType[type.rawValue, default: 0] += 1 }
    // What buying the same answers again would cost under the job's model, as the
    // run counts `credits_saved_by_reuse`.
    creditsSaved += billing.cost(of: types, answer: ReusedAnswers(plan.reused).merged(into: nil))
  }

  /// `the contact store already answers 200 rows (email 200) bought within 90d: about
  /// 200 credits saved`; `nil` when it answers none.
  public var line: String? {
    guard rowsCovered + rowsPartlyCovered > 0 else { return nil }
    let g = BudgetPause.grouped
    let byType = reusedByType.sorted { $0.key < $1.key }.map { "\($0.key) \(g($0.value))" }
    var s = "reuse: the contact store already answers \(g(rowsCovered)) rows"
    if rowsPartlyCovered > 0 { s += " (and \(g(rowsPartlyCovered)) in part)" }
    s += " (\(byType.joined(separator: ", "))) bought within --max-age \(maxAge)"
    return s + ": about \(g(creditsSaved)) credits saved"
  }
}
