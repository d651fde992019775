import LeadsheetCore

/// Turns rows into requests: reads the mapped cells, normalises, validates.
///
/// Per row, in order:
///
/// - names: the first- and last-name cells, cleaned (`NameNormalizer.clean`);
///   when one is blank and the row has a full-name cell, the full name fills
///   it: the part after the first name when the full name starts with it, else
///   the split (`NameNormalizer.split`), else — a single word beside a first
///   name, as German `Vorname`/`Name` lists have — the word is the last name;
/// - company name: cleaned like a name;
/// - domain: the first usable of the domain cell, the website cell's host, the
///   work email's domain (not free-mail) — `DomainNormalizer`;
/// - LinkedIn URL: `LinkedInURL.canonical`;
/// - custom: each custom column's trimmed text, blank ones omitted.
///
/// Cells holding a spreadsheet error (`#N/A`) count as blank. A row without a
/// first or last name is invalid; without a LinkedIn URL it is sent for the
/// requested types that do not need one (`dropped` lists the others), and is
/// invalid when none is left. `phone_country_codes` is sent only with phone.
public struct RowPlanner: Sendable {
  /// The column mapping.
  public let mapping: ColumnMapping
  /// The options (types, phone countries).
  public let options: MappingOptions

  let first: Int?
  let last: Int?
  let full: Int?
  let company: Int?
  let domain: Int?
  let website: Int?
  let email: Int?
  let linkedin: Int?
  let types: [EnrichmentType]
  /// `types` without those needing a LinkedIn URL, and those.
  let typesWithoutLinkedIn: [EnrichmentType]
  let typesNeedingLinkedIn: [EnrichmentType]
  /// Whether the full name may fill the first and the last name.
  let canFirst: Bool
  let canLast: Bool
  /// The row width `plan` expects: the header's.
  let width: Int
  /// The end of the contact key after the LinkedIn URL (`0x1F`, the types
  /// joined by `,`, `0x1F`, the phone country codes joined by `,`) when the
  /// row has a LinkedIn URL (`types` kept), and when it has none.
  let keyTail: [UInt8]
  let keyTailWithoutLinkedIn: [UInt8]
  /// `types` and `typesWithoutLinkedIn` as masks.
  let typesMask: EnrichmentTypeMask
  let typesWithoutLinkedInMask: EnrichmentTypeMask

  /// Creates a planner.
  public init(mapping: ColumnMapping, options: MappingOptions) {
    self.mapping = mapping
    self.options = options
    first = mapping.column(for: .firstname)
    last = mapping.column(for: .lastname)
    full = mapping.column(for: .fullName)
    company = mapping.column(for: .companyName)
    let domainOn = !mapping.disabled.contains(.domain)
    domain = mapping.column(for: .domain)
    website = domainOn ? mapping.column(for: .website) : nil
    email = domainOn ? mapping.column(for: .workEmail) : nil
    linkedin = mapping.column(for: .linkedinURL)
    let sorted = Array(Set(options.types)).sorted()
    types = sorted.isEmpty ? [.email] : sorted
    typesWithoutLinkedIn = types.filter { !$0.requiresLinkedInURL }
    typesNeedingLinkedIn = types.filter(\.requiresLinkedInURL)
    canFirst = !mapping.disabled.contains(.firstname)
    canLast = !mapping.disabled.contains(.lastname)
    width = mapping.header.count
    func tail(_ kept: [EnrichmentType]) -> [UInt8] {
      var countries: [String] = []
      if kept.contains(.phone), let codes = options.phoneCountryCodes { countries = codes }
      let text =
        "\u{1F}" + kept.map(\.rawValue).joined(separator: ",") + "\u{1F}"
        + countries.joined(separator: ",")
      return Array(text.utf8)
    }
    keyTail = tail(types)
    keyTailWithoutLinkedIn = tail(typesWithoutLinkedIn)
    typesMask = EnrichmentTypeMask(types)
    typesWithoutLinkedInMask = EnrichmentTypeMask(typesWithoutLinkedIn)
  }

  /// The plan of one row.
  ///
  /// - Parameter cells: The row's cells, as wide as the header (`Table.next`).
  public func plan(_ cells: [Cell]) -> RowPlan {
    // Cells are read in place (`cells[i].text`), not copied out, to save
    // reference counting on the hot path.
    func usable(_ column: Int?) -> Int? {
      guard let column, column < cells.count, cells[column].kind != .error,
        !cells[column].text.isBlankText
      else { return nil }
      return column
    }
    func text(_ column: Int?) -> String? { usable(column).map { cells[$0].text } }
    func name(_ column: Int?) -> String? {
      usable(column).flatMap { NameNormalizer.clean(cells[$0].text) }
    }
    var ignored: [IgnoredValue] = []

    var firstName = name(first)
    var lastName = name(last)
    if firstName == nil || lastName == nil, let fullName = name(full) {
      if let f = firstName, lastName == nil, fullName.hasPrefix(f + " ") {
        if canLast { lastName = NameNormalizer.clean(String(fullName.dropFirst(f.count))) }
      } else if let split = NameNormalizer.split(fullName: fullName) {
        if firstName == nil, canFirst { firstName = split.first }
        if lastName == nil, canLast { lastName = split.last }
      } else if firstName != nil, lastName == nil {
        if canLast { lastName = fullName }
      } else {
        ignored.append(.fullNameUnsplittable)
      }
    }

    let companyName = name(company)

    var domainName: String?
    for source in 0..<3 {
      let result: Result<String, IgnoredValue>?
      switch source {
      case 0: result = usable(domain).flatMap { DomainNormalizer.domain(fromURL: cells[$0].text) }
      case 1:
        result = usable(website).flatMap { DomainNormalizer.domain(fromWebsite: cells[$0].text) }
      default:
        result = usable(email).flatMap { DomainNormalizer.domain(fromEmail: cells[$0].text) }
      }
      guard let result else { continue }
      switch result {
      case .success(let d): domainName = d
      case .failure(let why): ignored.append(why)
      }
      if domainName != nil { break }
    }

    var linkedinURL: String?
    if let i = usable(linkedin), let result = LinkedInURL.canonical(cells[i].text) {
      switch result {
      case .success(let url): linkedinURL = url
      case .failure(let why): ignored.append(why)
      }
    }

    switch (firstName, lastName) {
    case (nil, nil): return .invalid(.missingName, ignored: ignored)
    case (nil, _): return .invalid(.missingFirstName, ignored: ignored)
    case (_, nil): return .invalid(.missingLastName, ignored: ignored)
    default: break
    }

    var kept = types
    var dropped: [EnrichmentType] = []
    if linkedinURL == nil {
      kept = typesWithoutLinkedIn
      dropped = typesNeedingLinkedIn
      if kept.isEmpty { return .invalid(.missingLinkedInURL, ignored: ignored) }
    }

    var custom: [String: String] = [:]
    if !mapping.custom.isEmpty {
      for item in mapping.custom {
        if let value = text(item.column) { custom[item.key] = value.trimmingWhitespace() }
      }
    }
    var countries: [String]?
    if kept.contains(.phone), let codes = options.phoneCountryCodes, !codes.isEmpty {
      countries = codes
    }
    let request = EnrichRequest(
      firstname: firstName, lastname: lastName, companyName: companyName, domain: domainName,
      linkedinURL: linkedinURL, enrichmentType: kept, phoneCountryCodes: countries,
      custom: custom.isEmpty ? nil : custom)
    return .send(request, dropped: dropped, ignored: ignored)
  }
}
