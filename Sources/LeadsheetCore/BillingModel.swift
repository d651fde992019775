/// How a job counts the credits an answered request cost (`--billing`), with the
/// costs per type (`--credit-cost`).
///
/// Pronto's price depends on the plan; three models cover what users report:
///
/// | model | an answered request costs |
/// |---|---|
/// | `per-request` (default) | its types' full sum, found or not (the worst case) |
/// | `per-found` | the cost of each asked type where something was found |
/// | `per-number` | as `per-found`, with the phone cost × the numbers returned |
///
/// Whatever the model, what may still be *sent* is decided by the worst case
/// (`worstCase(types:)`: the types' full sum); the model decides what was *spent*
/// and what the rest is estimated to cost. Under `per-number` an answer with
/// several numbers can cost more than that worst case: the budget counts what the
/// answers cost once they are in.
///
///     let model = BillingModel(.perFound, costs: .default)
///     model.worstCase(types: [.email, .phone])                  // 11
///     model.cost(of: [.email, .phone], answer: .init(email: true))  // 1
public struct BillingModel: Sendable, Hashable {
  /// The `--billing` value.
  public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every answered request costs its types' sum.
    case perRequest = "per-request"
    /// Only the types where something was found are charged.
    case perFound = "per-found"
    /// As `perFound`, with the phone cost charged per number returned.
    case perNumber = "per-number"
  }

  /// The model.
  public var kind: Kind
  /// The credits of each type.
  public var costs: CreditCosts

  /// Creates a model.
  public init(_ kind: Kind = .perRequest, costs: CreditCosts = .default) {
    self.kind = kind
    self.costs = costs
  }

  /// The most a request asking for `types` can cost before its answer is known:
  /// the types' full sum, whatever the model.
  public func worstCase(types: [EnrichmentType]) -> Int { costs.cost(of: types) }

  /// What an answered request (found or not found) asking for `types` cost.
  ///
  /// Only the asked types count: a field the API filled without being asked is free.
  public func cost(of types: [EnrichmentType], answer: AnswerFindings) -> Int {
    switch kind {
    case .perRequest:
      return worstCase(types: types)
    case .perFound, .perNumber:
      return Set(types).reduce(0) { sum, type in
        switch type {
        case .email: return sum + (answer.email ? costs[.email] : 0)
        case .personalEmail: return sum + (answer.personalEmail ? costs[.personalEmail] : 0)
        case .phone:
          let numbers = answer.phoneNumbers
          if kind == .perNumber { return sum + costs[.phone] * numbers }
          return sum + (numbers > 0 ? costs[.phone] : 0)
        }
      }
    }
  }

  /// What an answered request asking for `types` cost, from its response.
  public func cost(of types: [EnrichmentType], answer: EnrichResponse) -> Int {
    cost(of: types, answer: AnswerFindings(answer))
  }

  /// Whether a request that ended `failed` with `errorClass` may have been billed.
  ///
  /// A 4xx answer (`http_400`, `http_422`…), a request given up after 429s
  /// (`rate_limited`) and one that never reached the server (`connect_failed`) were
  /// not served: free. Anything else (a timeout, a
  /// 5xx, an answer in an unknown shape, an id still pending, a request in flight
  /// at a crash) may have been served and is counted at its worst case, so that a
  /// budget errs on the side of stopping early.
  public static func mayHaveBeenBilled(errorClass: String?) -> Bool {
    guard let errorClass else { return true }
    // `http_422`, `http_400`…: a 4xx refusal. `http_5xx` and `http_other` (a 5xx, a
    // 408 or a 3xx after the retries) may have been served, so they count.
    let refusedStatus =
      errorClass.hasPrefix("http_4") && errorClass.count == 8
      && errorClass.dropFirst(5).allSatisfy(\.isNumber)
    return !(refusedStatus || errorClass == "rate_limited" || errorClass == "connect_failed")
  }
}

/// What an answer found, as far as billing is concerned.
public struct AnswerFindings: Sendable, Hashable {
  /// A professional email was returned.
  public var email: Bool
  /// A personal email was returned.
  public var personalEmail: Bool
  /// Phone numbers returned.
  public var phoneNumbers: Int

  /// Creates findings (nothing found by default).
  public init(email: Bool = false, personalEmail: Bool = false, phoneNumbers: Int = 0) {
    self.email = email
    self.personalEmail = personalEmail
    self.phoneNumbers = phoneNumbers
  }

  /// What `response` found: a non-empty email, personal email, and its phone numbers.
  public init(_ response: EnrichResponse) {
    self.init(
      email: !(response.email ?? "").isEmpty,
      personalEmail: !(response.personalEmail ?? "").isEmpty,
      phoneNumbers: response.phones?.filter { !$0.number.isEmpty }.count ?? 0)
  }
}
