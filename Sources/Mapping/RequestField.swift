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
  ///
  /// Decided by the first byte for almost every cell: a first scalar that is
  /// not whitespace makes the first character not whitespace. Non-ASCII lead
  /// bytes other than E1, E2, E3 (and C2, which starts U+0085 and U+00A0)
  /// start scalars that are never whitespace.
  var isBlankText: Bool {
    guard let first = utf8.first else { return true }
    if first < 0x80 {
      if !FastText.isASCIISpace(first) { return false }
    } else if first >= 0xC3, first != 0xE1, first != 0xE2, first != 0xE3 {
      return false
    }
    if isASCIIOnly { return utf8.allSatisfy(Self.isASCIISpace) }
    return allSatisfy(\.isWhitespace)
  }

  /// Space, tab, line feed, vertical tab, form feed, carriage return.
  static func isASCIISpace(_ byte: UInt8) -> Bool { byte == 32 || (9...13).contains(byte) }

  /// The string without leading and trailing whitespace and newlines.
  func trimmingWhitespace() -> String {
    let edit = FastText.withBytes(self) { u -> FastText.Edit in
      guard FastText.kind(u) != .other else { return .slow }
      let range = FastText.trimmed(u)
      return range.count == u.count ? .same : .new(FastText.string(u, range))
    }
    switch edit ?? .slow {
    case .same: return self
    case .new(let result): return result
    case .slow: return slowTrimmingWhitespace()
    }
  }

  /// `trimmingWhitespace()` by characters (the original code).
  func slowTrimmingWhitespace() -> String {
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
  ///
  /// Returns the string itself (no copy) when there is nothing to change.
  func collapsingWhitespace() -> String {
    let edit = FastText.withBytes(self) { u -> FastText.Edit in
      let (isASCII, isCollapsed) = FastText.surveyName(u)
      if isASCII && isCollapsed { return .same }
      if !isASCII && isCollapsed && FastText.keepsCollapsedName(u) { return .same }
      if !isASCII && FastText.latinKind(u) == .other { return .slow }
      return Self.collapsed(u)
    }
    switch edit ?? .slow {
    case .same: return self
    case .new(let result): return result
    case .slow: return slowCollapsingWhitespace()
    }
  }

  /// `collapsingWhitespace()` of `.ascii`/`.latin` bytes.
  static func collapsed(_ u: UnsafeBufferPointer<UInt8>) -> FastText.Edit {
    // Unchanged: no whitespace but single spaces between other characters.
    var i = 0
    let n = u.count
    var clean = true
    var previousSpace = true
    while i < n {
      let length = FastText.spaceLength(u, i)
      if length == 0 {
        previousSpace = false
        i += 1
      } else {
        if previousSpace || length != 1 || u[i] != 32 {
          clean = false
          break
        }
        previousSpace = true
        i += 1
      }
    }
    if clean && !(previousSpace && n > 0) { return .same }
    var out: [UInt8] = []
    out.reserveCapacity(n)
    var pendingSpace = false
    i = 0
    while i < n {
      let length = FastText.spaceLength(u, i)
      if length != 0 {
        pendingSpace = !out.isEmpty
        i += length
      } else {
        if pendingSpace { out.append(32) }
        pendingSpace = false
        out.append(u[i])
        i += 1
      }
    }
    return .new(String(decoding: out, as: UTF8.self))
  }

  /// `collapsingWhitespace()` by characters (the original code).
  func slowCollapsingWhitespace() -> String {
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
