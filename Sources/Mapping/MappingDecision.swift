/// How a field's column was chosen, shown by `leadsheet inspect`.
public enum MappingDecision: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Named by `--map field=Header`.
  case override
  /// The header matched a synonym (`header match "First Name"`).
  case headerMatch(synonym: String, strength: Strength)
  /// No domain column: the domain comes from the website column's host.
  case domainFromWebsite
  /// No domain or website column: the domain comes from the work email (not free-mail).
  case domainFromEmail
  /// No first- or last-name column: the name is split from the full-name column.
  case splitFromFullName

  /// How closely a header matched its synonym.
  public enum Strength: String, Sendable, Hashable, Codable {
    /// Equal once normalised.
    case exact
    /// The synonym's words plus filler words and qualifiers.
    case partial
    /// A weak name, used because nothing better matched.
    case fallback
  }

  /// A stable code: `override`, `header_match`, `domain_from_website`,
  /// `domain_from_email`, `split_from_full_name`.
  public var code: String {
    switch self {
    case .override: return "override"
    case .headerMatch: return "header_match"
    case .domainFromWebsite: return "domain_from_website"
    case .domainFromEmail: return "domain_from_email"
    case .splitFromFullName: return "split_from_full_name"
    }
  }

  /// Whether the field is derived from another field's column.
  public var isDerived: Bool {
    switch self {
    case .override, .headerMatch: return false
    case .domainFromWebsite, .domainFromEmail, .splitFromFullName: return true
    }
  }

  /// A short English phrase: `header match "First Name"`, `derived: domain from website column`.
  public var description: String {
    switch self {
    case .override: return "override"
    case .headerMatch(let synonym, .exact): return "header match \"\(synonym)\""
    case .headerMatch(let synonym, .partial): return "partial header match \"\(synonym)\""
    case .headerMatch(let synonym, .fallback): return "fallback header match \"\(synonym)\""
    case .domainFromWebsite: return "derived: domain from website column"
    case .domainFromEmail: return "derived: domain from email column"
    case .splitFromFullName: return "split from full-name column"
    }
  }

  enum CodingKeys: String, CodingKey { case kind, synonym, strength, text }

  /// Decodes `{"kind": "header_match", "synonym": "First Name", "strength": "exact"}`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let kind = try c.decode(String.self, forKey: .kind)
    switch kind {
    case "override": self = .override
    case "header_match":
      self = .headerMatch(
        synonym: try c.decode(String.self, forKey: .synonym),
        strength: try c.decode(Strength.self, forKey: .strength))
    case "domain_from_website": self = .domainFromWebsite
    case "domain_from_email": self = .domainFromEmail
    case "split_from_full_name": self = .splitFromFullName
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .kind, in: c, debugDescription: "unknown mapping decision '\(kind)'")
    }
  }

  /// Encodes the code as `kind`, the synonym and strength of a header match, and `text`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(code, forKey: .kind)
    if case .headerMatch(let synonym, let strength) = self {
      try c.encode(synonym, forKey: .synonym)
      try c.encode(strength, forKey: .strength)
    }
    try c.encode(description, forKey: .text)
  }
}
