/// A job's requests as far as credits are concerned: what the answered ones found,
/// which failures may have been billed, and what is left to buy.
///
/// Read from the job database in one pass (`JobStore.creditTally(job:)`), then
/// priced under any `BillingModel`: `spent(under:)` is what the job has spent so
/// far, `estimateLeft(under:)` what the rest should cost. Nothing here is stored:
/// the figures follow the job's model even when `resume --billing` changes it.
///
///     var tally = CreditTally()
///     tally.addAnswered(types: [.email], findings: .init(email: true))
///     tally.addLeft(types: [.email], count: 3)
///     tally.spent(under: BillingModel())          // 1
///     tally.estimateLeft(under: BillingModel())   // 3
public struct CreditTally: Sendable, Hashable {
  /// Answered requests (found or not found), by their types and what they found.
  public struct Answer: Sendable, Hashable {
    /// The types asked.
    public var types: [EnrichmentType]
    /// What the answer found.
    public var findings: AnswerFindings

    /// Creates a key.
    public init(types: [EnrichmentType], findings: AnswerFindings) {
      self.types = types.sorted()
      self.findings = findings
    }
  }

  /// Answered requests: how many of each kind.
  public private(set) var answered: [Answer: Int] = [:]
  /// Failed requests that may have been billed (`BillingModel.mayHaveBeenBilled`),
  /// by their types: counted at their worst case.
  public private(set) var possiblyBilled: [[EnrichmentType]: Int] = [:]
  /// Requests without a final outcome (pending, in flight, submitted), by their types.
  public private(set) var left: [[EnrichmentType]: Int] = [:]

  /// An empty tally.
  public init() {}

  /// Counts `count` answered requests asking for `types` that found `findings`.
  public mutating func addAnswered(
    types: [EnrichmentType], findings: AnswerFindings, count: Int = 1
  ) {
    answered[Answer(types: types, findings: findings), default: 0] += count
  }

  /// Counts `count` failed requests asking for `types` that may have been billed.
  public mutating func addPossiblyBilled(types: [EnrichmentType], count: Int = 1) {
    possiblyBilled[types.sorted(), default: 0] += count
  }

  /// Counts `count` requests asking for `types` still to be bought.
  public mutating func addLeft(types: [EnrichmentType], count: Int = 1) {
    left[types.sorted(), default: 0] += count
  }

  /// Requests without a final outcome.
  public var requestsLeft: Int { left.values.reduce(0, +) }

  /// The most phone numbers one answer that asked for a phone held (0: none).
  public var mostPhoneNumbers: Int {
    answered.keys.filter { $0.types.contains(.phone) }.map(\.findings.phoneNumbers).max() ?? 0
  }

  /// `model`, its phone reservation under `per-number` raised to the most numbers an
  /// answer of this job held: what a run assumes of the answers still to come.
  public func learned(_ model: BillingModel) -> BillingModel {
    model.learning(phoneNumbers: mostPhoneNumbers)
  }

  /// The most the requests left can cost under `model`: each at its worst case,
  /// phones at the most numbers an answer of this job held (`learned(_:)`), as a run
  /// reserves them.
  public func worstCaseLeft(under model: BillingModel) -> Int {
    let learned = learned(model)
    return left.reduce(0) { $0 + learned.worstCase(types: $1.key) * $1.value }
  }

  /// The credits spent so far under `model`: each answer's cost, and each failure
  /// that may have been billed at its worst case.
  public func spent(under model: BillingModel) -> Int {
    answered.reduce(0) { $0 + model.cost(of: $1.key.types, answer: $1.key.findings) * $1.value }
      + possiblyBilled.reduce(0) { $0 + model.worstCase(types: $1.key) * $1.value }
  }

  /// The credits the requests left should cost under `model`, rounded up.
  ///
  /// `per-request`: their worst case. `per-found` and `per-number`: each type at
  /// what it cost on average in the answers so far (a type never answered yet
  /// counts at its full cost).
  public func estimateLeft(under model: BillingModel) -> Int {
    guard model.kind != .perRequest else {
      return left.reduce(0) { $0 + model.worstCase(types: $1.key) * $1.value }
    }
    var perType: [EnrichmentType: Double] = [:]
    for type in EnrichmentType.allCases {
      var asked = 0
      var credits = 0
      for (answer, count) in answered where answer.types.contains(type) {
        asked += count
        credits += model.cost(of: [type], answer: answer.findings) * count
      }
      perType[type] = asked > 0 ? Double(credits) / Double(asked) : Double(model.costs[type])
    }
    let total = left.reduce(0.0) { sum, entry in
      sum + Double(entry.value) * Set(entry.key).reduce(0.0) { $0 + (perType[$1] ?? 0) }
    }
    return Int(total.rounded(.up))
  }
}
