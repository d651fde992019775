import LeadsheetCore

/// A piece of contact information leadsheet looks for in a column.
///
/// Five of them go into the request as they are (`firstname`, `lastname`,
/// `company_name`, `domain`, `linkedin_url`); three are sources the request's
/// fields are derived from: `full_name` is split into first and last name,
/// `website` and `work_email` give the domain when there is no domain column
/// (or the domain cell is blank).
public enum RequestField: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  /// The contact's first name.
  case firstname
  /// The contact's last name.
  case lastname
  /// A full name, split into first and last name when those have no column.
  case fullName = "full_name"
  /// The company's name.
  case companyName = "company_name"
  /// The company's domain (`acme.com`).
  case domain
  /// The company's website URL; its host gives the domain.
  case website
  /// The contact's work email; its domain gives the domain unless it is a free-mail domain.
  case workEmail = "work_email"
  /// The contact's LinkedIn profile URL.
  case linkedinURL = "linkedin_url"

  /// Orders fields as `allCases` lists them.
  public static func < (a: Self, b: Self) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }

  /// Parses a field name as `--map` spells it.
  ///
  /// Case-insensitive; `-` and `_` are interchangeable and a few aliases are
  /// accepted: `first_name`, `last_name`, `name`/`fullname`, `company`,
  /// `email`, `linkedin`.
  ///
  /// - Throws: `LeadsheetError` with code `.usage` for an unknown name.
  public static func parse(_ text: String) throws -> RequestField {
    let key = text.trimmingWhitespace().lowercased()
      .replacingOccurrences(of: "-", with: "_")
    if let field = RequestField(rawValue: key) { return field }
    switch key {
    case "first_name", "first": return .firstname
    case "last_name", "last", "surname": return .lastname
    case "fullname", "name": return .fullName
    case "company", "companyname": return .companyName
    case "site", "url", "website_url": return .website
    case "email", "workemail", "mail": return .workEmail
    case "linkedin", "linkedinurl", "linkedin_profile": return .linkedinURL
    default:
      throw LeadsheetError(
        .usage, "unknown field '\(text)' in --map",
        hint: "use one of \(allCases.map(\.rawValue).joined(separator: ", ")) or custom.KEY")
    }
  }
}

extension String {
  /// Whether the string is pure ASCII (the fast paths below apply).
  var isASCIIOnly: Bool { utf8.allSatisfy { $0 < 0x80 } }

  /// Whether the string holds nothing but whitespace.
  var isBlankText: Bool {
    if isASCIIOnly { return utf8.allSatisfy(Self.isASCIISpace) }
    return allSatisfy(\.isWhitespace)
  }

  /// Space, tab, line feed, vertical tab, form feed, carriage return.
  static func isASCIISpace(_ byte: UInt8) -> Bool { byte == 32 || (9...13).contains(byte) }

  /// The string without leading and trailing whitespace and newlines.
  func trimmingWhitespace() -> String {
    if isASCIIOnly {
      let u = utf8
      var lo = u.startIndex
      var hi = u.endIndex
      while lo < hi, Self.isASCIISpace(u[lo]) { lo = u.index(after: lo) }
      while hi > lo, Self.isASCIISpace(u[u.index(before: hi)]) { hi = u.index(before: hi) }
      return String(self[lo..<hi])
    }
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s.removeFirst() }
    while let l = s.last, l.isWhitespace { s.removeLast() }
    return String(s)
  }

  /// The string trimmed, with every run of whitespace replaced by one space.
  func collapsingWhitespace() -> String {
    if isASCIIOnly {
      var out: [UInt8] = []
      out.reserveCapacity(utf8.count)
      var pendingSpace = false
      for byte in utf8 {
        if Self.isASCIISpace(byte) {
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
