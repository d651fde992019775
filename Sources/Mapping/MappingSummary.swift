import LeadsheetCore

/// Counts over all rows' plans: what a run would send and what it would cost.
///
/// Feed it every row's plan with `add(_:)`. Duplicates are rows whose request
/// has the same `EnrichRequest.contactKey` as an earlier row's (`custom`
/// aside); only the first is counted as a request. Keys are kept as 128-bit
/// `ContactHash`es (the top three bits replaced by the request's types, for
/// `merged`), so memory stays bounded (about 16 MB of hashes for a million
/// distinct contacts). `RowPlanner.count(_:into:)` feeds a CSV record by
/// bytes, with the same result as `add(plan(cells))`.
///
/// The credits estimate is an upper bound: Σ over distinct requests of the
/// cost of every type requested (`CreditCosts`), as if everything were found
/// and charged. The minimum duration is distinct requests at the API's
/// 50 requests per second.
///
/// Codable for `inspect --json`; the set of seen hashes is not encoded, so a
/// decoded summary counts later rows as if they were the first.
public struct MappingSummary: Sendable, Codable {
  /// The API's rate limit, requests per second.
  public static let requestsPerSecond = 50

  /// Rows fed.
  public var rows = 0
  /// Rows that make a request (duplicates included).
  public var valid = 0
  /// Rows that cannot make a request.
  public var invalid = 0
  /// Invalid rows by `InvalidReason.code`.
  public var invalidByReason: [String: Int] = [:]
  /// Valid rows sent for fewer types than requested.
  public var partial = 0
  /// Partial rows by dropped type (`phone`, `personal_email`).
  public var droppedByType: [String: Int] = [:]
  /// Non-blank cells not used, by `IgnoredValue.code`.
  public var ignoredValues: [String: Int] = [:]
  /// Valid rows whose contact already appeared in an earlier row.
  public var duplicates = 0
  /// Distinct requests a run would send (`valid - duplicates`).
  public var requests = 0
  /// Distinct requests including each type, by type.
  public var requestsByType: [String: Int] = [:]
  /// The upper-bound credits estimate.
  public var credits = 0
  /// The costs the estimate uses.
  public var creditCosts: CreditCosts {
    didSet { lastTypes = EnrichmentTypeMask(bits: 0) }
  }
  /// The shortest time a run can take, in seconds: `requests / 50`.
  public var minimumDurationSeconds: Double = 0

  /// Whether valid rows' contacts are checked for duplicates in batches of
  /// `batchSize` rather than one by one: the batch's slots in the set of
  /// contacts are loaded together, so the cache misses of a large set overlap
  /// instead of coming one after the other. The counts of requests,
  /// duplicates and credits then lag up to a batch behind until `flush()`
  /// (which `merged` calls), and `add` returns `false` for every row.
  public var batchesContactChecks = false
  /// Contacts per batch.
  static let batchSize = 32

  /// Whether `add` finds duplicate contacts itself (the default). `false`
  /// where the caller finds them anyway (a job's ingest: the store keeps a
  /// digest per distinct contact): `add` then leaves `requests`,
  /// `duplicates`, `requestsByType` and `credits` alone, and the caller sets
  /// them with `setDistinctRequests(byType:total:duplicates:)`.
  public var findsDuplicates = true
  /// The tagged hashes of the batch not yet checked.
  var pending: [ContactHash] = []

  /// The distinct contacts' hashes, tagged with their types (`EnrichmentTypeMask.tag`).
  var seen = ContactSet()
  /// The last distinct request's types, their raw values and cost: nearly
  /// every request of a list has the same types (no bits: none yet).
  var lastTypes = EnrichmentTypeMask(bits: 0)
  var lastTypeNames: [String] = []
  var lastCost = 0

  /// Creates an empty summary.
  public init(creditCosts: CreditCosts = .default) {
    self.creditCosts = creditCosts
  }

  /// Counts one row's plan.
  ///
  /// - Returns: `true` when the row is a duplicate of an earlier row's request.
  @discardableResult
  public mutating func add(_ plan: RowPlan) -> Bool {
    switch plan {
    case .invalid(let reason, let ignored):
      for why in ignored { countIgnored(why) }
      countInvalid(reason)
      return false
    case .send(let request, let dropped, let ignored):
      for why in ignored { countIgnored(why) }
      return countSend(
        findsDuplicates ? ContactHash(request: request) : ContactHash(high: 0, low: 0),
        types: EnrichmentTypeMask(request.enrichmentType), dropped: dropped)
    }
  }

  /// Counts a non-blank cell that was not used (before the row's own count).
  mutating func countIgnored(_ why: IgnoredValue) {
    ignoredValues[why.code, default: 0] += 1
  }

  /// Counts an invalid row.
  mutating func countInvalid(_ reason: InvalidReason) {
    rows += 1
    invalid += 1
    invalidByReason[reason.code, default: 0] += 1
  }

  /// Counts a valid row whose request's contact key hashes to `hash`.
  ///
  /// - Returns: `true` when the row is a duplicate of an earlier row's request.
  mutating func countSend(
    _ hash: ContactHash, types: EnrichmentTypeMask, dropped: [EnrichmentType]
  ) -> Bool {
    rows += 1
    valid += 1
    if !dropped.isEmpty {
      partial += 1
      for type in dropped { droppedByType[type.rawValue, default: 0] += 1 }
    }
    guard findsDuplicates else { return false }
    if batchesContactChecks {
      if pending.isEmpty { pending.reserveCapacity(Self.batchSize) }
      pending.append(types.tag(hash))
      if pending.count == Self.batchSize { flush() }
      return false
    }
    guard seen.insert(types.tag(hash)) else {
      duplicates += 1
      return true
    }
    requests += 1
    if lastTypes != types { learn(types) }
    for name in lastTypeNames { requestsByType[name, default: 0] += 1 }
    credits += lastCost
    minimumDurationSeconds = Double(requests) / Double(Self.requestsPerSecond)
    return false
  }

  /// Sets the counts of distinct requests found by the caller (see `findsDuplicates`).
  ///
  /// - Parameters:
  ///   - byType: Distinct requests including each type.
  ///   - total: Distinct requests.
  ///   - duplicates: Valid rows whose contact repeats an earlier row's.
  public mutating func setDistinctRequests(
    byType: [EnrichmentType: Int], total: Int, duplicates: Int
  ) {
    requests = total
    self.duplicates = duplicates
    requestsByType = [:]
    credits = 0
    for (type, n) in byType where n > 0 {
      requestsByType[type.rawValue] = n
      credits += creditCosts[type] * n
    }
    minimumDurationSeconds = Double(total) / Double(Self.requestsPerSecond)
  }

  /// Checks the batch of contacts not yet checked (see `batchesContactChecks`).
  public mutating func flush() {
    guard !pending.isEmpty else { return }
    seen.prefetch(pending)
    // New contacts are counted in runs of the same types: one dictionary update a run.
    var run = 0
    for hash in pending {
      guard seen.insert(hash) else {
        duplicates += 1
        continue
      }
      let types = EnrichmentTypeMask(taggedHash: hash)
      if types != lastTypes {
        countRequests(run)
        run = 0
        learn(types)
      }
      run += 1
    }
    countRequests(run)
    pending.removeAll(keepingCapacity: true)
  }

  /// Counts a batched contact as a new request without checking it (a spilled part, in `merged`).
  mutating func countUnchecked(_ hash: ContactHash) {
    let types = EnrichmentTypeMask(taggedHash: hash)
    if types != lastTypes { learn(types) }
    countRequests(1)
  }

  /// Counts `n` new requests of the last types.
  private mutating func countRequests(_ n: Int) {
    guard n > 0 else { return }
    requests += n
    for name in lastTypeNames { requestsByType[name, default: 0] += n }
    credits += lastCost * n
    minimumDurationSeconds = Double(requests) / Double(Self.requestsPerSecond)
  }

  /// Makes `types` the cached last types.
  private mutating func learn(_ types: EnrichmentTypeMask) {
    lastTypes = types
    lastTypeNames = types.types.map(\.rawValue)
    lastCost = creditCosts.cost(of: types.types)
  }

  enum CodingKeys: String, CodingKey {
    case rows, valid, invalid
    case invalidByReason = "invalid_by_reason"
    case partial
    case droppedByType = "dropped_by_type"
    case ignoredValues = "ignored_values"
    case duplicates, requests
    case requestsByType = "requests_by_type"
    case credits
    case creditCosts = "credit_costs"
    case minimumDurationSeconds = "minimum_duration_seconds"
  }
}
