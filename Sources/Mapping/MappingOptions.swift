import LeadsheetCore

/// What the user asked for: enrichment types, column choices, phone countries, costs.
///
/// Built by the CLI from `--types`, `--map` (repeatable), `--phone-countries`
/// and `--credit-costs`:
///
///     var options = MappingOptions(types: try EnrichmentType.parseList("email,phone"))
///     for text in maps { try options.apply(MappingOptions.parseMap(text)) }
public struct MappingOptions: Sendable, Hashable {
  /// The enrichment types to request, sorted and distinct (default `[.email]`).
  public var types: [EnrichmentType]
  /// Columns named by `--map field=Header`; an empty header turns the field off.
  public var overrides: [RequestField: String]
  /// Columns copied into `custom`, from `--map custom.KEY=Header`, in option order.
  public var custom: [CustomField]
  /// ISO 3166-1 alpha-2 codes sent as `phone_country_codes` when phone is requested.
  public var phoneCountryCodes: [String]?
  /// The cost table for the credits estimate.
  public var creditCosts: CreditCosts

  /// Creates options.
  public init(
    types: [EnrichmentType] = [.email], overrides: [RequestField: String] = [:],
    custom: [CustomField] = [], phoneCountryCodes: [String]? = nil,
    creditCosts: CreditCosts = .default
  ) {
    self.types = Array(Set(types)).sorted()
    self.overrides = overrides
    self.custom = custom
    self.phoneCountryCodes = phoneCountryCodes
    self.creditCosts = creditCosts
  }

  /// Creates options from the CLI's strings.
  ///
  /// - Parameters:
  ///   - types: The enrichment types.
  ///   - maps: Every `--map` value, in order.
  ///   - phoneCountries: The `--phone-countries` value (`FR,BE`), if given.
  ///   - creditCosts: The `--credit-costs` value, if given.
  /// - Throws: `LeadsheetError` with code `.usage` for any malformed value.
  public init(
    types: [EnrichmentType], maps: [String], phoneCountries: String? = nil,
    creditCosts: String? = nil
  ) throws {
    self.init(types: types)
    for text in maps { try apply(Self.parseMap(text)) }
    if let phoneCountries {
      self.phoneCountryCodes = try Self.parsePhoneCountryCodes(phoneCountries)
    }
    if let creditCosts { self.creditCosts = try CreditCosts.parse(creditCosts) }
  }

  /// Parses one `--map` value: `firstname=Prénom`, `custom.crm_id=Record ID`, `domain=`.
  ///
  /// The header is everything after the first `=`, trimmed; it may contain `=`.
  ///
  /// - Throws: `LeadsheetError` with code `.usage` when there is no `=`, the
  ///   field is unknown, or a custom key or header is empty.
  public static func parseMap(_ text: String) throws -> MapArgument {
    let hint = "write it like --map firstname=Prénom or --map custom.crm_id=\"Record ID\""
    guard let eq = text.firstIndex(of: "=") else {
      throw LeadsheetError(.usage, "--map '\(text)' has no '='", hint: hint)
    }
    let name = String(text[..<eq]).trimmingWhitespace()
    let header = String(text[text.index(after: eq)...]).trimmingWhitespace()
    if name.lowercased().hasPrefix("custom.") {
      let key = String(name.dropFirst("custom.".count)).trimmingWhitespace()
      guard !key.isEmpty else {
        throw LeadsheetError(.usage, "--map '\(text)' has an empty custom key", hint: hint)
      }
      guard !header.isEmpty else {
        throw LeadsheetError(.usage, "--map '\(text)' names no column", hint: hint)
      }
      return .custom(CustomField(key: key, header: header))
    }
    guard !name.isEmpty else {
      throw LeadsheetError(.usage, "--map '\(text)' names no field", hint: hint)
    }
    return .field(try RequestField.parse(name), header: header)
  }

  /// Adds one parsed `--map` value.
  ///
  /// - Throws: `LeadsheetError` with code `.usage` when the same field or
  ///   custom key is mapped twice.
  public mutating func apply(_ argument: MapArgument) throws {
    switch argument {
    case .field(let field, let header):
      if let previous = overrides[field] {
        throw LeadsheetError(
          .usage, "--map \(field.rawValue) given twice ('\(previous)' and '\(header)')",
          hint: "keep one --map per field")
      }
      overrides[field] = header
    case .custom(let item):
      if custom.contains(where: { $0.key == item.key }) {
        throw LeadsheetError(
          .usage, "--map custom.\(item.key) given twice", hint: "keep one --map per custom key")
      }
      custom.append(item)
    }
  }

  /// Parses `FR,be, us` into `["FR", "BE", "US"]`.
  ///
  /// - Throws: `LeadsheetError` with code `.usage` for a code that is not two letters.
  public static func parsePhoneCountryCodes(_ text: String) throws -> [String] {
    var codes: [String] = []
    for part in text.split(separator: ",") {
      let code = String(part).trimmingWhitespace().uppercased()
      guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
        throw LeadsheetError(
          .usage, "'\(part)' is not an ISO 3166-1 alpha-2 country code",
          hint: "write two-letter codes like FR,BE,US")
      }
      if !codes.contains(code) { codes.append(code) }
    }
    guard !codes.isEmpty else {
      throw LeadsheetError(.usage, "no phone country code given", hint: "write codes like FR,BE")
    }
    return codes
  }
}
