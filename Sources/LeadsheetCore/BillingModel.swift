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
/// (`worstCase(types:)`: the types' full sum, a phone counted at
/// `phoneNumbersAtMost` numbers under `per-number`); the model decides what was
/// *spent* and what the rest is estimated to cost. No one knows how many numbers an
/// answer will hold: under `per-number` a phone is reserved at `phoneNumbersAtMost`
/// (`--max-phone-numbers`, default 3) until its answer comes, and a run that sees an
/// answer with more raises it (`learning(phoneNumbers:)`).
///
///     let model = BillingModel(.perFound, costs: .default)
///     model.worstCase(types: [.email, .phone])                  // 11
///     model.cost(of: [.email, .phone], answer: .init(email: true))  // 1
///     BillingModel(.perNumber).worstCase(types: [.email, .phone])  // 31
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
  /// Under `per-number`: the numbers a phone answer is counted at before it comes
  /// (`--max-phone-numbers`). Unused by the other models, where a phone costs its
  /// price once.
  public var phoneNumbersAtMost: Int

  /// `--max-phone-numbers`' default: a phone answer holds one to three numbers in
  /// what users report (188 numbers for 151 contacts), so three covers it.
  public static let defaultPhoneNumbersAtMost = 3

  /// Creates a model.
  public init(
    _ kind: Kind = .perRequest, costs: CreditCosts = .default,
    phoneNumbersAtMost: Int = BillingModel.defaultPhoneNumbersAtMost
  ) {
    self.kind = kind
    self.costs = costs
    self.phoneNumbersAtMost = max(1, phoneNumbersAtMost)
  }

  /// The most a request asking for `types` can cost before its answer is known:
  /// the types' full sum, a phone at `phoneNumbersAtMost` numbers under `per-number`.
  public func worstCase(types: [EnrichmentType]) -> Int {
    let sum = costs.cost(of: types)
    guard kind == .perNumber, types.contains(.phone) else { return sum }
    return sum + costs[.phone] * (phoneNumbersAtMost - 1)
  }

  /// What each phone number beyond `phoneNumbersAtMost` would add to the cost of a
  /// request asking for `types`: the phone's price under `per-number` when `types`
  /// holds a phone, else 0.
  public func perExtraNumber(types: [EnrichmentType]) -> Int {
    kind == .perNumber && types.contains(.phone) ? costs[.phone] : 0
  }

  /// The worst case of a list whose requests' types sum to `credits`, `phoneRequests`
  /// of them asking for a phone: `credits`, with each phone at `phoneNumbersAtMost`
  /// numbers under `per-number`.
  public func worstCase(credits: Int, phoneRequests: Int) -> Int {
    guard kind == .perNumber else { return credits }
    return credits + phoneRequests * costs[.phone] * (phoneNumbersAtMost - 1)
  }

  /// This model, its phone reservation raised to `phoneNumbers` when an answer held
  /// more numbers than it assumed (only under `per-number`): a run never reserves
  /// less than it has seen one answer cost.
  public func learning(phoneNumbers: Int) -> BillingModel {
    guard kind == .perNumber, phoneNumbers > phoneNumbersAtMost else { return self }
    var copy = self
    copy.phoneNumbersAtMost = phoneNumbers
    return copy
  }

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
