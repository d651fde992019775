// The mapping code as it was before the byte-level fast paths, kept verbatim
// (types renamed `Reference…`) as the oracle of `FastPathDifferentialTests`.

import LeadsheetCore
@testable import Mapping

enum ReferenceNameNormalizer {
  /// Trims and collapses whitespace; `nil` when nothing is left.
  static func clean(_ text: String) -> String? {
    let s = text.refCollapsingWhitespace()
    return s.isEmpty ? nil : s
  }

  static let honorifics: Set<String> = [
    "dr", "mr", "mrs", "ms", "mx", "miss", "prof", "sir", "mme", "mlle", "herr", "frau", "sr",
    "sra", "srta", "dra",
  ]
  static let suffixes: Set<String> = [
    "jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "esq", "cpa",
  ]
  static let particles: Set<String> = [
    "van", "von", "de", "del", "della", "di", "da", "du", "des", "dos", "das", "le", "la", "ter",
    "ten", "bin", "ibn", "al",
  ]

  /// The word as compared with the honorific and suffix lists: lowercased, dots and commas out.
  static func bare(_ word: Substring) -> String {
    word.lowercased().filter { $0 != "." && $0 != "," }
  }

  /// Removes honorifics from the front of `words`; `M.` only with its dot.
  static func dropHonorifics(_ words: inout [Substring]) {
    while words.count > 1, let w = words.first,
      honorifics.contains(bare(w)) || w == "M." || w == "m."
    {
      words.removeFirst()
    }
  }

  /// Splits a full name into first and last name; `nil` for a single word or nothing.
  static func split(fullName text: String) -> PersonName? {
    var words = text.split(whereSeparator: \.isWhitespace)
    while words.count > 1, let w = words.last, suffixes.contains(bare(w)) {
      words.removeLast()
    }
    if words.count > 1, let w = words.last, w.hasSuffix(",") {
      words[words.count - 1] = w.dropLast()
    }
    let joined = words.joined(separator: " ")
    let commaParts = joined.split(separator: ",", omittingEmptySubsequences: false)
    if commaParts.count == 2 {
      var last = commaParts[0].split(whereSeparator: \.isWhitespace)
      var first = commaParts[1].split(whereSeparator: \.isWhitespace)
      dropHonorifics(&last)
      dropHonorifics(&first)
      guard !first.isEmpty, !last.isEmpty else { return nil }
      return PersonName(first: first.joined(separator: " "), last: last.joined(separator: " "))
    }
    words = joined.split(whereSeparator: { $0.isWhitespace || $0 == "," })
    dropHonorifics(&words)
    guard words.count >= 2 else { return nil }
    var firstCount = 1
    if let p = words.indices.dropFirst().first(where: { particles.contains(words[$0].lowercased()) }
    ),
      p < words.count - 1
    {
      firstCount = p
    } else if words.count == 4 {
      firstCount = 2
    }
    return PersonName(
      first: words[..<firstCount].joined(separator: " "),
      last: words[firstCount...].joined(separator: " "))
  }
}

enum ReferenceDomainNormalizer {
  /// Hosts that are never a company's own site.
  static let nonCompanyHosts: Set<String> = [
    "linkedin.com", "lnkd.in", "facebook.com", "fb.com", "twitter.com", "x.com",
    "instagram.com", "youtube.com", "tiktok.com", "bit.ly", "t.co", "linktr.ee", "wa.me",
    "crunchbase.com",
  ]

  /// The domain of a URL or bare domain (`https://www.Acme.com:443/about?x=1` → `acme.com`).
  ///
  /// - Returns: `nil` for a blank cell, `.failure(.domainInvalid)` when there is no valid domain.
  static func domain(fromURL text: String) -> Result<String, IgnoredValue>? {
    let s = text.refTrimmingWhitespace()
    guard !s.isEmpty else { return nil }
    guard let host = host(of: s) else { return .failure(.domainInvalid) }
    return .success(host)
  }

  /// The company domain of a website URL: like `domain(fromURL:)`, but social
  /// networks and shorteners (`nonCompanyHosts` and their subdomains) are refused.
  ///
  /// - Returns: `nil` for a blank cell, `.failure(.websiteInvalid)` otherwise when unusable.
  static func domain(fromWebsite text: String) -> Result<String, IgnoredValue>? {
    let s = text.refTrimmingWhitespace()
    guard !s.isEmpty else { return nil }
    guard let host = host(of: s), !isNonCompany(host) else { return .failure(.websiteInvalid) }
    return .success(host)
  }

  /// The company domain of a work email (`jean@Acme.fr` → `acme.fr`).
  ///
  /// - Returns: `nil` for a blank cell, `.failure(.emailInvalid)` for a
  ///   malformed address, `.failure(.emailFreeMail)` for a free-mail domain.
  static func domain(fromEmail text: String) -> Result<String, IgnoredValue>? {
    var s = Substring(text.refTrimmingWhitespace())
    guard !s.isEmpty else { return nil }
    if s.lowercased().hasPrefix("mailto:") { s = s.dropFirst("mailto:".count) }
    if let cut = s.firstIndex(where: { $0 == "," || $0 == ";" }) { s = s[..<cut] }
    let parts = String(s).refTrimmingWhitespace().split(
      separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[0].contains(where: \.isWhitespace),
      let domain = validDomain(parts[1].lowercased())
    else { return .failure(.emailInvalid) }
    return FreeMailDomains.contains(domain) ? .failure(.emailFreeMail) : .success(domain)
  }

  /// Whether `host` is a social network or shortener, or a subdomain of one.
  static func isNonCompany(_ host: String) -> Bool {
    nonCompanyHosts.contains { host == $0 || host.hasSuffix("." + $0) }
  }

  /// The host of a URL or bare host, normalised, or `nil`.
  static func host(of text: String) -> String? {
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiHost(Array(text.utf8)) }
    return unicodeHost(text)
  }

  /// `host(of:)` for any text, by characters.
  static func unicodeHost(_ text: String) -> String? {
    guard !text.contains(where: \.isWhitespace) else { return nil }
    var s = Substring(text)
    if let colon = ReferenceLinkedInURL.schemeSeparator(s) {
      s = s[s.utf8.index(colon, offsetBy: 3)...]
    } else if s.hasPrefix("//") {
      s = s.dropFirst(2)
    }
    if let end = s.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" || $0 == "\\" }) {
      s = s[..<end]
    }
    if let at = s.lastIndex(of: "@") { s = s[s.index(after: at)...] }
    if let colon = s.firstIndex(of: ":") {
      let port = s[s.index(after: colon)...]
      guard port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber) else { return nil }
      s = s[..<colon]
    }
    var host = s.lowercased()
    if host.hasPrefix("www.") { host.removeFirst(4) }
    return validDomain(host)
  }

  /// `host(of:)` for ASCII text, by bytes (the common case, several times faster).
  static func asciiHost(_ u: [UInt8]) -> String? {
    let slash = UInt8(ascii: "/")
    guard !u.contains(where: { $0 == 32 || (9...13).contains($0) }) else { return nil }
    var start = 0
    var end = u.count
    if let i = u.firstIndex(where: {
      $0 == UInt8(ascii: ":") || $0 == slash || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
    }), u[i] == UInt8(ascii: ":"), u[(i + 1)...].starts(with: [slash, slash]) {
      start = i + 3
    } else if end >= 2, u[0] == slash, u[1] == slash {
      start = 2
    }
    if let cut = (start..<end).first(where: {
      u[$0] == slash || u[$0] == UInt8(ascii: "?") || u[$0] == UInt8(ascii: "#")
        || u[$0] == UInt8(ascii: "\\")
    }) {
      end = cut
    }
    if let at = (start..<end).last(where: { u[$0] == UInt8(ascii: "@") }) { start = at + 1 }
    if let colon = (start..<end).first(where: { u[$0] == UInt8(ascii: ":") }) {
      guard u[(colon + 1)..<end].allSatisfy({ (48...57).contains($0) }) else { return nil }
      end = colon
    }
    var host = u[start..<end].map { (65...90).contains($0) ? $0 + 32 : $0 }
    if host.starts(with: Array("www.".utf8)) { host.removeFirst(4) }
    return asciiValidDomain(host)
  }

  /// `validDomain` for lowercase ASCII bytes.
  static func asciiValidDomain(_ bytes: [UInt8]) -> String? {
    var host = bytes
    if host.last == UInt8(ascii: ".") { host.removeLast() }
    guard !host.isEmpty, host.count <= 253 else { return nil }
    let labels = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard labels.count >= 2 else { return nil }
    let hyphen = UInt8(ascii: "-")
    for label in labels {
      guard !label.isEmpty, label.count <= 63, label.first != hyphen, label.last != hyphen,
        label.allSatisfy({
          $0 == hyphen || (48...57).contains($0) || (97...122).contains($0)
            || (65...90).contains($0)
        })
      else { return nil }
    }
    guard let tld = labels.last, !tld.allSatisfy({ (48...57).contains($0) }) else { return nil }
    return String(decoding: host, as: UTF8.self)
  }

  /// `text` without a trailing dot if it is a valid domain name, else `nil`.
  static func validDomain(_ text: String) -> String? {
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiValidDomain(Array(text.utf8)) }
    var host = text
    if host.hasSuffix(".") { host.removeLast() }
    guard !host.isEmpty, host.count <= 253 else { return nil }
    let labels = host.split(separator: ".", omittingEmptySubsequences: false)
    guard labels.count >= 2 else { return nil }
    for label in labels {
      guard !label.isEmpty, label.count <= 63, label.first != "-", label.last != "-",
        label.allSatisfy({ $0 == "-" || $0.isNumber || $0.isLetter })
      else { return nil }
    }
    guard let tld = labels.last, !tld.allSatisfy(\.isNumber) else { return nil }
    return host
  }
}

enum ReferenceLinkedInURL {
  /// The canonical profile URL of `text`.
  ///
  /// - Returns: `nil` for a blank cell, else the URL or why it was refused.
  static func canonical(_ text: String) -> Result<String, IgnoredValue>? {
    let s = text.refTrimmingWhitespace()
    guard !s.isEmpty else { return nil }
    let u = s.utf8
    let ascii = u.allSatisfy { $0 < 0x80 }
    let blank =
      ascii
      ? u.contains { $0 == 32 || (9...13).contains($0) } : s.contains(where: \.isWhitespace)
    guard !blank else { return .failure(.linkedinNotLinkedIn) }
    var rest = Substring(s)
    if let colon = schemeSeparator(rest) {
      let name = rest[..<colon].lowercased()
      guard name == "https" || name == "http" else { return .failure(.linkedinNotLinkedIn) }
      rest = rest[rest.utf8.index(colon, offsetBy: 3)...]
    } else if rest.hasPrefix("//") {
      rest = rest.dropFirst(2)
    }
    let hostEnd =
      rest.utf8.firstIndex {
        $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
      } ?? rest.endIndex
    var host = rest[..<hostEnd].lowercased()
    if let colon = host.utf8.firstIndex(of: UInt8(ascii: ":")) { host = String(host[..<colon]) }
    if host.hasSuffix(".") { host.removeLast() }
    guard host == "linkedin.com" || host.hasSuffix(".linkedin.com") else {
      return .failure(.linkedinNotLinkedIn)
    }
    var path = rest[hostEnd...]
    if let end = path.utf8.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") })
    {
      path = path[..<end]
    }
    let segments = path.split(separator: "/")
    guard let first = segments.first?.lowercased() else { return .failure(.linkedinNotAProfile) }
    switch first {
    case "in" where segments.count >= 2:
      return .success("https://www.linkedin.com/in/" + encode(segments[1]))
    case "pub" where segments.count >= 3 && segments[1].lowercased() != "dir":
      return .success(
        "https://www.linkedin.com/pub/" + segments.dropFirst().map(encode).joined(separator: "/"))
    case "sales" where segments.count >= 3:
      switch segments[1].lowercased() {
      case "lead", "people":
        let id = segments[2].prefix { $0 != "," }
        guard !id.isEmpty,
          id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return .failure(.linkedinNotAProfile) }
        return .success("https://www.linkedin.com/in/" + id)
      case "company", "account", "accounts": return .failure(.linkedinCompanyPage)
      default: return .failure(.linkedinNotAProfile)
      }
    case "company", "school", "showcase": return .failure(.linkedinCompanyPage)
    default: return .failure(.linkedinNotAProfile)
    }
  }

  /// The index of the `:` of a leading `scheme://`, if any.
  static func schemeSeparator(_ text: Substring) -> String.Index? {
    var i = text.utf8.startIndex
    while i != text.utf8.endIndex {
      let byte = text.utf8[i]
      if byte == UInt8(ascii: ":") {
        let rest = text.utf8[i...].dropFirst()
        return rest.starts(with: "//".utf8) ? i : nil
      }
      if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") {
        return nil
      }
      i = text.utf8.index(after: i)
    }
    return nil
  }

  /// Percent-encodes (UTF-8) every character outside the URL's unreserved set and `%`.
  static func encode(_ segment: Substring) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(segment.utf8.count)
    let digits = Array("0123456789ABCDEF".utf8)
    for byte in segment.utf8 {
      if isKept(byte) {
        out.append(byte)
      } else {
        out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 15)]]
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Whether a byte stays as it is in a path segment: ASCII letters, digits, `-._~%!$&'()*+=:@`.
  static func isKept(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    default:
      return "-._~%!$&'()*+=:@".utf8.contains(byte)
    }
  }
}

struct ReferenceRowPlanner: Sendable {
  /// The column mapping.
  let mapping: ColumnMapping
  /// The options (types, phone countries).
  let options: MappingOptions

  let first: Int?
  let last: Int?
  let full: Int?
  let company: Int?
  let domain: Int?
  let website: Int?
  let email: Int?
  let linkedin: Int?
  let types: [EnrichmentType]

  /// Creates a planner.
  init(mapping: ColumnMapping, options: MappingOptions) {
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
  }

  /// The plan of one row.
  ///
  /// - Parameter cells: The row's cells, as wide as the header (`Table.next`).
  func plan(_ cells: [Cell]) -> RowPlan {
    func text(_ column: Int?) -> String? {
      guard let column, column < cells.count else { return nil }
      let cell = cells[column]
      guard cell.kind != .error, !cell.text.refIsBlankText else { return nil }
      return cell.text
    }
    var ignored: [IgnoredValue] = []

    var firstName = text(first).flatMap(ReferenceNameNormalizer.clean)
    var lastName = text(last).flatMap(ReferenceNameNormalizer.clean)
    if firstName == nil || lastName == nil,
      let fullName = text(full).flatMap(ReferenceNameNormalizer.clean)
    {
      let canFirst = !mapping.disabled.contains(.firstname)
      let canLast = !mapping.disabled.contains(.lastname)
      if let f = firstName, lastName == nil, fullName.hasPrefix(f + " ") {
        if canLast { lastName = ReferenceNameNormalizer.clean(String(fullName.dropFirst(f.count))) }
      } else if let split = ReferenceNameNormalizer.split(fullName: fullName) {
        if firstName == nil, canFirst { firstName = split.first }
        if lastName == nil, canLast { lastName = split.last }
      } else if firstName != nil, lastName == nil {
        if canLast { lastName = fullName }
      } else {
        ignored.append(.fullNameUnsplittable)
      }
    }

    let companyName = text(company).flatMap(ReferenceNameNormalizer.clean)

    var domainName: String?
    let sources: [(Int?, (String) -> Result<String, IgnoredValue>?)] = [
      (domain, ReferenceDomainNormalizer.domain(fromURL:)),
      (website, ReferenceDomainNormalizer.domain(fromWebsite:)),
      (email, ReferenceDomainNormalizer.domain(fromEmail:)),
    ]
    for (column, normalise) in sources {
      guard let value = text(column), let result = normalise(value) else { continue }
      switch result {
      case .success(let d): domainName = d
      case .failure(let why): ignored.append(why)
      }
      if domainName != nil { break }
    }

    var linkedinURL: String?
    if let value = text(linkedin), let result = ReferenceLinkedInURL.canonical(value) {
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
      kept = types.filter { !$0.requiresLinkedInURL }
      dropped = types.filter(\.requiresLinkedInURL)
      if kept.isEmpty { return .invalid(.missingLinkedInURL, ignored: ignored) }
    }

    var custom: [String: String] = [:]
    for item in mapping.custom {
      if let value = text(item.column) { custom[item.key] = value.refTrimmingWhitespace() }
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

struct ReferenceMappingSummary: Sendable, Codable {
  /// The API's rate limit, requests per second.
  static let requestsPerSecond = 50

  /// Rows fed.
  var rows = 0
  /// Rows that make a request (duplicates included).
  var valid = 0
  /// Rows that cannot make a request.
  var invalid = 0
  /// Invalid rows by `InvalidReason.code`.
  var invalidByReason: [String: Int] = [:]
  /// Valid rows sent for fewer types than requested.
  var partial = 0
  /// Partial rows by dropped type (`phone`, `personal_email`).
  var droppedByType: [String: Int] = [:]
  /// Non-blank cells not used, by `IgnoredValue.code`.
  var ignoredValues: [String: Int] = [:]
  /// Valid rows whose contact already appeared in an earlier row.
  var duplicates = 0
  /// Distinct requests a run would send (`valid - duplicates`).
  var requests = 0
  /// Distinct requests including each type, by type.
  var requestsByType: [String: Int] = [:]
  /// The upper-bound credits estimate.
  var credits = 0
  /// The costs the estimate uses.
  var creditCosts: CreditCosts
  /// The shortest time a run can take, in seconds: `requests / 50`.
  var minimumDurationSeconds: Double = 0

  var seen = Set<ContactHash>()

  /// Creates an empty summary.
  init(creditCosts: CreditCosts = .default) {
    self.creditCosts = creditCosts
  }

  /// Counts one row's plan.
  ///
  /// - Returns: `true` when the row is a duplicate of an earlier row's request.
  @discardableResult
  mutating func add(_ plan: RowPlan) -> Bool {
    rows += 1
    for why in plan.ignored { ignoredValues[why.code, default: 0] += 1 }
    switch plan {
    case .invalid(let reason, _):
      invalid += 1
      invalidByReason[reason.code, default: 0] += 1
      return false
    case .send(let request, let dropped, _):
      valid += 1
      if !dropped.isEmpty {
        partial += 1
        for type in dropped { droppedByType[type.rawValue, default: 0] += 1 }
      }
      guard seen.insert(ContactHash(request.contactKey)).inserted else {
        duplicates += 1
        return true
      }
      requests += 1
      for type in Set(request.enrichmentType) { requestsByType[type.rawValue, default: 0] += 1 }
      credits += creditCosts.cost(of: request.enrichmentType)
      minimumDurationSeconds = Double(requests) / Double(Self.requestsPerSecond)
      return false
    }
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

extension String {
  /// Whether the string is pure ASCII (the fast paths below apply).
  var refIsASCIIOnly: Bool { utf8.allSatisfy { $0 < 0x80 } }

  /// Whether the string holds nothing but whitespace.
  var refIsBlankText: Bool {
    if refIsASCIIOnly { return utf8.allSatisfy(Self.refIsASCIISpace) }
    return allSatisfy(\.isWhitespace)
  }

  /// Space, tab, line feed, vertical tab, form feed, carriage return.
  static func refIsASCIISpace(_ byte: UInt8) -> Bool { byte == 32 || (9...13).contains(byte) }

  /// The string without leading and trailing whitespace and newlines.
  func refTrimmingWhitespace() -> String {
    if refIsASCIIOnly {
      let u = utf8
      var lo = u.startIndex
      var hi = u.endIndex
      while lo < hi, Self.refIsASCIISpace(u[lo]) { lo = u.index(after: lo) }
      while hi > lo, Self.refIsASCIISpace(u[u.index(before: hi)]) { hi = u.index(before: hi) }
      return String(self[lo..<hi])
    }
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s.removeFirst() }
    while let l = s.last, l.isWhitespace { s.removeLast() }
    return String(s)
  }

  /// The string trimmed, with every run of whitespace replaced by one space.
  func refCollapsingWhitespace() -> String {
    if refIsASCIIOnly {
      var out: [UInt8] = []
      out.reserveCapacity(utf8.count)
      var pendingSpace = false
      for byte in utf8 {
        if Self.refIsASCIISpace(byte) {
          pendingSpace = !out.isEmpty
        } else {
          if pendingSpace { out.append(32) }
          pendingSpace = false
          out.append(byte)
        }
      }
      return String(decoding: out, as: UTF8.self)
    }
    return split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }
}
