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
    if let fast = FastText.withBytes(text, fastCanonical), let result = fast { return result }
    return slowCanonical(text)
  }

  /// The outcome of `fastCanonical`: `nil` when the text is not
  /// `.ascii`/`.latin`, else what `canonical` returns.
  typealias FastCanonical = Result<String, IgnoredValue>??

  static let profilePrefix: StaticString = "https://www.linkedin.com/in/"
  static let publicPrefix: StaticString = "https://www.linkedin.com/pub/"

  /// `canonical` by bytes, for `.ascii`/`.latin` text.
  static func fastCanonical(_ u: UnsafeBufferPointer<UInt8>) -> FastCanonical {
    switch fastProfile(u) {
    case nil: return .none
    case .blank?: return .some(.none)
    case .refused(let why)?: return .failure(why)
    case .profile(let prefix, let path)?:
      return .success(
        String(unsafeUninitializedCapacity: urlLength(prefix, u, path)) { out in
          writeURL(prefix, u, path, to: out.baseAddress!)
        })
    }
  }

  /// What `fastProfile` found.
  enum FastProfile {
    /// The cell is blank.
    case blank
    /// Not a usable profile URL.
    case refused(IgnoredValue)
    /// The canonical URL is `prefix` then the `/`-separated segments of
    /// `u[path]`, percent-encoded and joined by one `/` (`writeURL`).
    case profile(StaticString, path: Range<Int>)
  }

  /// `canonical` by bytes, for `.ascii`/`.latin` text, without making the
  /// URL; `nil` for other text.
  static func fastProfile(_ u: UnsafeBufferPointer<UInt8>) -> FastProfile? {
    if let slug = canonicalSlug(u) { return .profile(profilePrefix, path: slug) }
    let (kind, maySpace) = FastText.survey(u)
    guard kind != .other else { return nil }
    let range = maySpace ? FastText.trimmed(u) : 0..<u.count
    guard !range.isEmpty else { return .blank }
    guard !maySpace || !FastText.containsSpace(u, range) else {
      return .refused(.linkedinNotLinkedIn)
    }
    let slash = UInt8(ascii: "/")
    let question = UInt8(ascii: "?")
    let hash = UInt8(ascii: "#")
    var start = range.lowerBound
    let end = range.upperBound
    var i = start
    while i < end {
      let byte = u[i]
      if byte == UInt8(ascii: ":") {
        if i + 2 < end, u[i + 1] == slash, u[i + 2] == slash {
          guard
            FastText.equalsLowercased(u, start..<i, "https")
              || FastText.equalsLowercased(u, start..<i, "http")
          else { return .refused(.linkedinNotLinkedIn) }
          start = i + 3
        }
        break
      }
      if byte == slash || byte == question || byte == hash {
        if byte == slash, i == start, i + 1 < end, u[i + 1] == slash { start += 2 }
        break
      }
      i += 1
    }
    var hostEnd = start
    while hostEnd < end, u[hostEnd] != slash, u[hostEnd] != question, u[hostEnd] != hash {
      hostEnd += 1
    }
    var hostStop = start
    while hostStop < hostEnd, u[hostStop] != UInt8(ascii: ":") { hostStop += 1 }
    if hostStop > start, u[hostStop - 1] == UInt8(ascii: ".") { hostStop -= 1 }
    let host = start..<hostStop
    guard
      FastText.equalsLowercased(u, host, "linkedin.com")
        || FastText.hasLowercasedSuffix(u, host, ".linkedin.com")
    else { return .refused(.linkedinNotLinkedIn) }
    var pathEnd = hostEnd
    while pathEnd < end, u[pathEnd] != question, u[pathEnd] != hash { pathEnd += 1 }
    // The first three non-empty `/`-separated segments, and how many there are.
    var segments: (Range<Int>, Range<Int>, Range<Int>) = (0..<0, 0..<0, 0..<0)
    var count = 0
    i = hostEnd
    while i < pathEnd {
      if u[i] == slash {
        i += 1
        continue
      }
      let segmentStart = i
      while i < pathEnd, u[i] != slash { i += 1 }
      switch count {
      case 0: segments.0 = segmentStart..<i
      case 1: segments.1 = segmentStart..<i
      case 2: segments.2 = segmentStart..<i
      default: break
      }
      count += 1
    }
    guard count > 0 else { return .refused(.linkedinNotAProfile) }
    let first = segments.0
    if FastText.equalsLowercased(u, first, "in") {
      guard count >= 2 else { return .refused(.linkedinNotAProfile) }
      return .profile(profilePrefix, path: segments.1)
    }
    if FastText.equalsLowercased(u, first, "pub") {
      guard count >= 3, !FastText.equalsLowercased(u, segments.1, "dir") else {
        return .refused(.linkedinNotAProfile)
      }
      return .profile(publicPrefix, path: first.upperBound..<pathEnd)
    }
    if FastText.equalsLowercased(u, first, "sales") {
      guard count >= 3 else { return .refused(.linkedinNotAProfile) }
      let kind = segments.1
      if FastText.equalsLowercased(u, kind, "lead") || FastText.equalsLowercased(u, kind, "people")
      {
        var idEnd = segments.2.lowerBound
        while idEnd < segments.2.upperBound, u[idEnd] != UInt8(ascii: ",") { idEnd += 1 }
        let id = segments.2.lowerBound..<idEnd
        guard !id.isEmpty,
          id.allSatisfy({
            let byte = u[$0]
            return byte &- 48 < 10 || (byte | 0x20) &- 97 < 26 || byte == UInt8(ascii: "-")
              || byte == UInt8(ascii: "_")
          })
        else { return .refused(.linkedinNotAProfile) }
        return .profile(profilePrefix, path: id)
      }
      if FastText.equalsLowercased(u, kind, "company")
        || FastText.equalsLowercased(u, kind, "account")
        || FastText.equalsLowercased(u, kind, "accounts")
      {
        return .refused(.linkedinCompanyPage)
      }
      return .refused(.linkedinNotAProfile)
    }
    if FastText.equalsLowercased(u, first, "company")
      || FastText.equalsLowercased(u, first, "school")
      || FastText.equalsLowercased(u, first, "showcase")
    {
      return .refused(.linkedinCompanyPage)
    }
    return .refused(.linkedinNotAProfile)
  }

  /// The slug of a URL that is already canonical — `https://www.linkedin.com/in/SLUG`,
  /// then nothing or `/…`, `?…`, `#…` — found in one pass: the usual cell of an
  /// export. The slug must need no percent-encoding (`isKept`), and the whole
  /// cell must be printable ASCII without spaces (else the general code
  /// trims, refuses or decodes). `nil` for anything else.
  @inline(__always)
  static func canonicalSlug(_ u: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
    let n = profilePrefix.utf8CodeUnitCount  // 28
    guard n == 28, u.count > n, let base = u.baseAddress else { return nil }
    let p = UnsafeRawPointer(base)
    let q = UnsafeRawPointer(profilePrefix.utf8Start)
    guard p.loadUnaligned(as: UInt64.self) == q.loadUnaligned(as: UInt64.self),
      p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        == q.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
      p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        == q.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
      p.loadUnaligned(fromByteOffset: 24, as: UInt32.self)
        == q.loadUnaligned(fromByteOffset: 24, as: UInt32.self)
    else { return nil }
    var i = n
    while i < u.count {
      let byte = u[i]
      if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") {
        break
      }
      guard isKept(byte) else { return nil }
      i += 1
    }
    guard i > n else { return nil }
    let slug = n..<i
    while i < u.count {
      guard u[i] &- 33 < 94 else { return nil }
      i += 1
    }
    return slug
  }

  /// The length of the URL `writeURL` writes.
  static func urlLength(_ prefix: StaticString, _ u: UnsafeBufferPointer<UInt8>, _ path: Range<Int>)
    -> Int
  {
    var length = prefix.utf8CodeUnitCount
    var pendingSlash = false
    for i in path {
      let byte = u[i]
      if byte == UInt8(ascii: "/") {
        pendingSlash = length > prefix.utf8CodeUnitCount
        continue
      }
      if pendingSlash { length += 1 }
      pendingSlash = false
      length += isKept(byte) ? 1 : 3
    }
    return length
  }

  /// Writes `prefix` then the non-empty `/`-separated segments of `u[path]`,
  /// percent-encoded and joined by one `/`.
  ///
  /// - Returns: The bytes written (`urlLength`).
  @discardableResult
  static func writeURL(
    _ prefix: StaticString, _ u: UnsafeBufferPointer<UInt8>, _ path: Range<Int>,
    to out: UnsafeMutablePointer<UInt8>
  ) -> Int {
    let digits = hexDigits.utf8Start
    let p = prefix.utf8Start
    let start = prefix.utf8CodeUnitCount
    out.update(from: p, count: start)
    var j = start
    var pendingSlash = false
    for i in path {
      let byte = u[i]
      if byte == UInt8(ascii: "/") {
        pendingSlash = j > start
        continue
      }
      if pendingSlash {
        out[j] = UInt8(ascii: "/")
        j += 1
      }
      pendingSlash = false
      if isKept(byte) {
        out[j] = byte
        j += 1
      } else {
        out[j] = UInt8(ascii: "%")
        out[j + 1] = digits[Int(byte >> 4)]
        out[j + 2] = digits[Int(byte & 15)]
        j += 3
      }
    }
    return j
  }

  static let hexDigits: StaticString = "0123456789ABCDEF"

  /// `canonical` by characters (the original code, for text outside `FastText`'s fast paths).
  static func slowCanonical(_ text: String) -> Result<String, IgnoredValue>? {
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
    case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
      UInt8(ascii: "%"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"),
      UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"),
      UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "@"):
      return true
    default:
      return false
    }
  }
}
