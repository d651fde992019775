/// Company domains from domain cells, website URLs and work emails.
///
/// From a URL or a domain cell: surrounding whitespace trimmed; the scheme
/// (`https://`, `//`), credentials (`user:pass@`), port, path, query and
/// fragment removed; lowercased; a leading `www.` and a trailing dot removed.
/// The result must be a domain name: at least two labels, each 1–63 letters,
/// digits or hyphens (not at either end; non-ASCII letters allowed for IDNs),
/// a top-level label that is not all digits (no IP addresses), 253 characters
/// at most, no whitespace anywhere.
///
/// A website on a social network or link shortener (`linkedin.com`,
/// `facebook.com`, `bit.ly`…) gives no company domain.
///
/// From an email: the part after the one `@` (a `mailto:` prefix and, for a
/// cell holding several addresses, everything after the first `,` or `;` are
/// dropped), validated as above, and refused when it is a free-mail domain
/// (`FreeMailDomains`).
public enum DomainNormalizer {
  /// Hosts that are never a company's own site.
  public static let nonCompanyHosts: Set<String> = [
    "linkedin.com", "lnkd.in", "facebook.com", "fb.com", "twitter.com", "x.com",
    "instagram.com", "youtube.com", "tiktok.com", "bit.ly", "t.co", "linktr.ee", "wa.me",
    "crunchbase.com",
  ]

  /// The domain of a URL or bare domain (`https://www.Acme.com:443/about?x=1` → `acme.com`).
  ///
  /// - Returns: `nil` for a blank cell, `.failure(.domainInvalid)` when there is no valid domain.
  public static func domain(fromURL text: String) -> Result<String, IgnoredValue>? {
    switch fastHost(text, website: false) {
    case .blank: return nil
    case .host(let host): return .success(host)
    case .invalid: return .failure(.domainInvalid)
    case .slow: break
    }
    let s = text.trimmingWhitespace()
    guard !s.isEmpty else { return nil }
    guard let host = host(of: s) else { return .failure(.domainInvalid) }
    return .success(host)
  }

  /// The company domain of a website URL: like `domain(fromURL:)`, but social
  /// networks and shorteners (`nonCompanyHosts` and their subdomains) are refused.
  ///
  /// - Returns: `nil` for a blank cell, `.failure(.websiteInvalid)` otherwise when unusable.
  public static func domain(fromWebsite text: String) -> Result<String, IgnoredValue>? {
    switch fastHost(text, website: true) {
    case .blank: return nil
    case .host(let host): return .success(host)
    case .invalid: return .failure(.websiteInvalid)
    case .slow: break
    }
    let s = text.trimmingWhitespace()
    guard !s.isEmpty else { return nil }
    guard let host = host(of: s), !isNonCompany(host) else { return .failure(.websiteInvalid) }
    return .success(host)
  }

  /// The company domain of a work email (`jean@Acme.fr` → `acme.fr`).
  ///
  /// - Returns: `nil` for a blank cell, `.failure(.emailInvalid)` for a
  ///   malformed address, `.failure(.emailFreeMail)` for a free-mail domain.
  public static func domain(fromEmail text: String) -> Result<String, IgnoredValue>? {
    switch fastEmailDomain(text) {
    case .blank: return nil
    case .host(let domain):
      return FreeMailDomains.contains(domain) ? .failure(.emailFreeMail) : .success(domain)
    case .invalid: return .failure(.emailInvalid)
    case .slow: break
    }
    var s = Substring(text.trimmingWhitespace())
    guard !s.isEmpty else { return nil }
    if s.lowercased().hasPrefix("mailto:") { s = s.dropFirst("mailto:".count) }
    if let cut = s.firstIndex(where: { $0 == "," || $0 == ";" }) { s = s[..<cut] }
    let parts = String(s).trimmingWhitespace().split(
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

  /// `nonCompanyHosts` as bytes, for `fastHost`.
  static let nonCompanyBytes: [[UInt8]] = nonCompanyHosts.map { Array($0.utf8) }

  /// What a fast path found.
  enum FastHost {
    /// The cell is blank.
    case blank
    /// The normalised host or domain.
    case host(String)
    /// No usable host.
    case invalid
    /// The text is not `.ascii`/`.latin`: use the `Character`-based code.
    case slow
  }

  /// `domain(fromURL:)` (and, with `website`, `domain(fromWebsite:)`'s
  /// social-network check) by bytes for `.ascii`/`.latin` text.
  static func fastHost(_ text: String, website: Bool) -> FastHost {
    FastText.withBytes(text) { u -> FastHost in
      let (kind, maySpace) = FastText.survey(u)
      guard kind != .other else { return .slow }
      let range = maySpace ? FastText.trimmed(u) : 0..<u.count
      guard !range.isEmpty else { return .blank }
      return latinHost(u, range, website: website, maySpace: maySpace)
    } ?? .slow
  }

  /// `host(of:)` of `u[range]`, trimmed `.ascii`/`.latin` bytes, and with
  /// `website` the `isNonCompany` check; `maySpace: false` promises no whitespace.
  static func latinHost(
    _ u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, website: Bool, maySpace: Bool = true
  ) -> FastHost {
    guard let host = latinHostRange(u, range, website: website, maySpace: maySpace) else {
      return .invalid
    }
    return .host(lowercased(u, host))
  }

  /// `latinHost` without making the host: the bytes of `u` that lowercase
  /// (`writeLowercased`) to it, or `nil` when there is no usable host.
  static func latinHostRange(
    _ u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, website: Bool, maySpace: Bool = true
  ) -> Range<Int>? {
    let slash = UInt8(ascii: "/")
    let question = UInt8(ascii: "?")
    let hash = UInt8(ascii: "#")
    guard !maySpace || !FastText.containsSpace(u, range) else { return nil }
    var start = range.lowerBound
    var end = range.upperBound
    // `scheme://` when the first of `:/?#` is a `:` followed by `//`, else `//`.
    var i = start
    while i < end {
      let byte = u[i]
      if byte == UInt8(ascii: ":") {
        if i + 2 < end, u[i + 1] == slash, u[i + 2] == slash { start = i + 3 }
        break
      }
      if byte == slash || byte == question || byte == hash {
        if byte == slash, i == start, i + 1 < end, u[i + 1] == slash { start += 2 }
        break
      }
      i += 1
    }
    i = start
    while i < end {
      let byte = u[i]
      if byte == slash || byte == question || byte == hash || byte == UInt8(ascii: "\\") {
        end = i
        break
      }
      i += 1
    }
    i = end
    while i > start {
      i -= 1
      if u[i] == UInt8(ascii: "@") {
        start = i + 1
        break
      }
    }
    i = start
    while i < end {
      if u[i] == UInt8(ascii: ":") {
        for j in (i + 1)..<end where u[j] &- 48 >= 10 { return nil }
        end = i
        break
      }
      i += 1
    }
    guard let host = validDomainRange(u, start..<end, dropWWW: true) else { return nil }
    return website && isNonCompany(u, host) ? nil : host
  }

  /// `validDomain` of `u[range]` lowercased (after dropping a leading `www.`
  /// with `dropWWW`), for `.ascii`/`.latin` bytes without whitespace.
  static func lowercasedDomain(
    _ u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, dropWWW: Bool
  ) -> FastHost {
    guard let host = validDomainRange(u, range, dropWWW: dropWWW) else { return .invalid }
    return .host(lowercased(u, host))
  }

  /// `lowercasedDomain` without making the domain: the bytes of `u` that
  /// lowercase (`writeLowercased`) to it, or `nil` when it is not valid.
  static func validDomainRange(
    _ u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, dropWWW: Bool
  ) -> Range<Int>? {
    var lo = range.lowerBound
    var hi = range.upperBound
    if dropWWW, FastText.equalsLowercased(u, lo..<min(lo + 4, hi), "www.") { lo += 4 }
    if hi > lo, u[hi - 1] == UInt8(ascii: ".") { hi -= 1 }
    guard hi > lo else { return nil }
    let table = FastText.latinTable
    let hyphen = UInt8(ascii: "-")
    var scalars = 0
    var labels = 0
    var labelLength = 0
    var labelStart = lo
    var labelAllDigits = true
    var i = lo
    while i <= hi {
      if i == hi || u[i] == UInt8(ascii: ".") {
        // End of a label.
        guard labelLength > 0, labelLength <= 63, u[labelStart] != hyphen, u[i - 1] != hyphen
        else { return nil }
        labels += 1
        if i == hi { break }
        i += 1
        labelStart = i
        labelLength = 0
        labelAllDigits = true
        continue
      }
      let byte = u[i]
      let entry: UInt32
      if byte < 0x80 {
        entry = table[Int(byte)]
        i += 1
      } else {
        entry = table[FastText.scalar2(u, i)]
        i += 2
      }
      guard byte == hyphen || entry & (FastText.letterBit | FastText.numberBit) != 0 else {
        return nil
      }
      if entry & FastText.numberBit == 0 { labelAllDigits = false }
      labelLength += 1
      scalars += 1
    }
    guard labels >= 2, scalars + labels - 1 <= 253, !labelAllDigits else { return nil }
    return lo..<hi
  }

  /// `u[range]` (`.ascii`/`.latin` bytes) lowercased, as a string.
  static func lowercased(_ u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    String(unsafeUninitializedCapacity: range.count) { out in
      writeLowercased(u, range, to: out.baseAddress!)
    }
  }

  /// Writes `u[range]` (`.ascii`/`.latin` bytes) lowercased to `out`: ASCII
  /// by +32, other scalars by `FastText`'s table (same UTF-8 length).
  ///
  /// - Returns: The bytes written, `range.count`.
  @discardableResult
  static func writeLowercased(
    _ u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to out: UnsafeMutablePointer<UInt8>
  ) -> Int {
    let table = FastText.latinTable
    var i = range.lowerBound
    let hi = range.upperBound
    var j = 0
    while i < hi {
      let byte = u[i]
      if byte < 0x80 {
        out[j] = byte &- 65 < 26 ? byte + 32 : byte
        i += 1
        j += 1
      } else {
        let lower = table[FastText.scalar2(u, i)] & 0xFFFF
        out[j] = UInt8(0xC0 | (lower >> 6))
        out[j + 1] = UInt8(0x80 | (lower & 0x3F))
        i += 2
        j += 2
      }
    }
    return j
  }

  /// `isNonCompany` of the host `u[host]` lowercases to (`.ascii`/`.latin`
  /// bytes), by bytes: ASCII letters compared ignoring case (no other scalar
  /// lowercases to ASCII).
  static func isNonCompany(_ u: UnsafeBufferPointer<UInt8>, _ host: Range<Int>) -> Bool {
    for name in nonCompanyBytes {
      let n = name.count
      guard host.count == n || (host.count > n && u[host.upperBound - n - 1] == UInt8(ascii: "."))
      else { continue }
      var k = host.upperBound - n
      var same = true
      for byte in name {
        var b = u[k]
        if b &- 65 < 26 { b += 32 }
        if b != byte {
          same = false
          break
        }
        k += 1
      }
      if same { return true }
    }
    return false
  }

  /// `domain(fromEmail:)` up to the free-mail check, by bytes for
  /// `.ascii`/`.latin` text.
  static func fastEmailDomain(_ text: String) -> FastHost {
    FastText.withBytes(text, fastEmailDomain(bytes:)) ?? .slow
  }

  /// `fastEmailDomain` of UTF-8 bytes.
  static func fastEmailDomain(bytes u: UnsafeBufferPointer<UInt8>) -> FastHost {
    guard FastText.kind(u) != .other else { return .slow }
    var range = FastText.trimmed(u)
    guard !range.isEmpty else { return .blank }
    if FastText.equalsLowercased(
      u, range.lowerBound..<min(range.lowerBound + 7, range.upperBound), "mailto:")
    {
      range = (range.lowerBound + 7)..<range.upperBound
    }
    if let cut = range.first(where: { u[$0] == UInt8(ascii: ",") || u[$0] == UInt8(ascii: ";") }) {
      range = range.lowerBound..<cut
    }
    let rebased = UnsafeBufferPointer(rebasing: u[range])
    let inner = FastText.trimmed(rebased)
    let lo = range.lowerBound + inner.lowerBound
    let hi = range.lowerBound + inner.upperBound
    var at: Int?
    for i in lo..<hi where u[i] == UInt8(ascii: "@") {
      guard at == nil else { return .invalid }
      at = i
    }
    guard let at, at > lo, !FastText.containsSpace(u, lo..<at) else { return .invalid }
    guard !FastText.containsSpace(u, (at + 1)..<hi) else { return .invalid }
    return lowercasedDomain(u, (at + 1)..<hi, dropWWW: false)
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
    if let colon = LinkedInURL.schemeSeparator(s) {
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
