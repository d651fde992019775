import Foundation

/// What one request costs in Pronto credits, per enrichment type.
///
/// The contract does not publish prices (they depend on the plan and on the
/// providers used), so these are the figures leadsheet estimates with; the
/// estimate is an upper bound (a request is counted as if every type it asks
/// for were found and charged). Change them with
/// `--credit-costs email=1,phone=10,personal_email=3` (only the types named
/// change) or by editing `CreditCosts.default`.
public struct CreditCosts: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Credits per type; a type missing here costs 0.
  public var perType: [EnrichmentType: Int]

  /// The defaults: `email=1,phone=10,personal_email=3`.
  public static let `default` = CreditCosts(perType: [
    .email: 1, .phone: 10, .personalEmail: 3,
  ])

  /// Creates a cost table.
  public init(perType: [EnrichmentType: Int]) {
    self.perType = perType
  }

  /// The credits of one type.
  public subscript(type: EnrichmentType) -> Int {
    get { perType[type] ?? 0 }
    set { perType[type] = newValue }
  }

  /// The credits of one request asking for `types` (the sum of their costs).
  public func cost(of types: [EnrichmentType]) -> Int {
    Set(types).reduce(0) { $0 + self[$1] }
  }

  /// The table in the form `parse` reads: `email=1,phone=10,personal_email=3`.
  public var description: String {
    EnrichmentType.allCases.map { "\($0.rawValue)=\(self[$0])" }.joined(separator: ",")
  }

  /// Parses `email=1,phone=10,personal_email=3`, starting from `base`.
  ///
  /// Types not named keep their cost in `base`. Type names are
  /// case-insensitive and `personal-email` is accepted.
  ///
  /// - Parameters:
  ///   - text: Comma-separated `type=credits` pairs; credits are whole numbers ≥ 0.
  ///   - base: The costs of the types not named.
  /// - Throws: `LeadsheetError` with code `.usage` for a malformed pair, an
  ///   unknown type or a negative or non-integer cost.
  public static func parse(_ text: String, base: CreditCosts = .default) throws -> CreditCosts {
    var costs = base
    let hint = "write it like email=1,phone=10,personal_email=3"
    let pairs = text.split(separator: ",").map {
      String($0).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    .filter { !$0.isEmpty }
    guard !pairs.isEmpty else {
      throw LeadsheetError(.usage, "no credit cost given", hint: hint)
    }
    for pair in pairs {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2 else {
        throw LeadsheetError(.usage, "credit cost '\(pair)' has no '='", hint: hint)
      }
      let name = String(parts[0]).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        .replacingOccurrences(of: "-", with: "_")
      guard let type = EnrichmentType(rawValue: name) else {
        throw LeadsheetError(
          .usage, "unknown enrichment type '\(parts[0])' in credit costs",
          hint: "use email, phone and/or personal_email")
      }
      guard let value = Int(String(parts[1]).trimmingCharacters(in: .whitespacesAndNewlines)),
        value >= 0
      else {
        throw LeadsheetError(
          .usage, "credit cost '\(parts[1])' for \(type.rawValue) is not a whole number ≥ 0",
          hint: hint)
      }
      costs[type] = value
    }
    return costs
  }

  enum CodingKeys: String, CodingKey {
    case email, phone
    case personalEmail = "personal_email"
  }

  /// Decodes `{"email": 1, "phone": 10, "personal_email": 3}`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(perType: [:])
    self[.email] = try c.decodeIfPresent(Int.self, forKey: .email) ?? 0
    self[.phone] = try c.decodeIfPresent(Int.self, forKey: .phone) ?? 0
    self[.personalEmail] = try c.decodeIfPresent(Int.self, forKey: .personalEmail) ?? 0
  }

  /// Encodes `{"email": 1, "phone": 10, "personal_email": 3}`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(self[.email], forKey: .email)
    try c.encode(self[.phone], forKey: .phone)
    try c.encode(self[.personalEmail], forKey: .personalEmail)
  }
}
