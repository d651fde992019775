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
    guard !s.contains(where: \.isWhitespace) else { return .failure(.linkedinNotLinkedIn) }
    var rest = Substring(s)
    if let scheme = rest.range(of: "://") {
      let name = rest[..<scheme.lowerBound].lowercased()
      guard name == "https" || name == "http" else { return .failure(.linkedinNotLinkedIn) }
      rest = rest[scheme.upperBound...]
    } else if rest.hasPrefix("//") {
      rest = rest.dropFirst(2)
    }
    let hostEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
    var host = rest[..<hostEnd].lowercased()
    if let colon = host.firstIndex(of: ":") { host = String(host[..<colon]) }
    if host.hasSuffix(".") { host.removeLast() }
    guard host == "linkedin.com" || host.hasSuffix(".linkedin.com") else {
      return .failure(.linkedinNotLinkedIn)
    }
    var path = rest[hostEnd...]
    if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<end] }
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

  /// Percent-encodes (UTF-8) every character outside the URL's unreserved set and `%`.
  static func encode(_ segment: Substring) -> String {
    var out = ""
    for scalar in segment.unicodeScalars {
      if scalar.isASCII,
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
          || "-._~%!$&'()*+=:@".unicodeScalars.contains(scalar)
      {
        out.unicodeScalars.append(scalar)
      } else {
        for byte in String(scalar).utf8 { out += "%" + hex(byte) }
      }
    }
    return out
  }

  static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
  }
}
