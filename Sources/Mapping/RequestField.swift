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
  /// The string without leading and trailing whitespace and newlines.
  func trimmingWhitespace() -> String {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s.removeFirst() }
    while let l = s.last, l.isWhitespace { s.removeLast() }
    return String(s)
  }

  /// The string trimmed, with every run of whitespace replaced by one space.
  func collapsingWhitespace() -> String {
    split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }
}
