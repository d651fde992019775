/// Canonical LinkedIn profile URLs: `https://www.linkedin.com/in/SLUG`.
///
/// Accepted:
///
/// - `https://www.linkedin.com/in/jean-dupont/`, `http://…`, no scheme
///   (`linkedin.com/in/jean-dupont`), any subdomain (`fr.linkedin.com`,
///   `m.linkedin.com`); query (`?trk=…`), fragment, trailing slash and
///   anything after the slug (`/details/experience`, a locale) are dropped;
/// - the slug is kept as given: case (ID-style slugs such as `ACwAAB…` are
///   case-sensitive) and percent-encoding (`j%C3%A9r%C3%B4me`); raw
///   non-ASCII characters are percent-encoded (UTF-8);
/// - ID-style profile URLs (`/in/ACwAA…`, as Sales Navigator exports them) as they are;
/// - Sales Navigator lead URLs, `/sales/lead/ACwAA…,NAME_SEARCH,xyz` and
///   `/sales/people/ACwAA…,…`: the member ID before the first comma becomes
///   `https://www.linkedin.com/in/ACwAA…`, which LinkedIn resolves to the profile;
/// - old public profiles `/pub/name/1/23/456` → `https://www.linkedin.com/pub/name/1/23/456`.
///
/// Refused (the row is treated as having no LinkedIn URL, and the reason is counted):
/// company, school and showcase pages and Sales Navigator accounts
/// (`.linkedinCompanyPage`), other LinkedIn pages (`.linkedinNotAProfile`),
/// anything not on `linkedin.com` or containing spaces (`.linkedinNotLinkedIn`).
public enum LinkedInURL {
  /// The canonical profile URL of `text`.
  ///
  /// - Returns: `nil` for a blank cell, else the URL or why it was refused.
  public static func canonical(_ text: String) -> Result<String, IgnoredValue>? {
    let s = text.trimmingWhitespace()
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
