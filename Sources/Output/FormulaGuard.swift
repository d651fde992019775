/// Neutralises API values that a spreadsheet would run as a formula (CSV injection).
///
/// **Why.** A CSV file has no types: Excel, LibreOffice and Google Sheets
/// evaluate any field that *looks* like a formula. A value sent back by the
/// API (a `message`, an email status, a name echoed from a profile) is text
/// leadsheet does not control; a field such as `=HYPERLINK("http://evil", "x")`
/// or `=cmd|' /C calc'!A0` would run when the user opens the enriched list
/// (OWASP "CSV Injection"). Prefixing the value with `'` makes every
/// spreadsheet show it as text.
///
/// **The rule** (applied to appended values only; the user's own cells are
/// never touched):
///
/// - A value starting with `=`, `@`, a tab or a carriage return is always
///   prefixed with `'`.
/// - A value starting with `+` or `-` is prefixed unless the whole value is a
///   well-formed number (`-12.5`, `+1e3`), an E.164 phone (`+33612345678`), a
///   list of E.164 phones joined by the phone separator, or a plain email
///   (`+tag@acme.com`).
/// - Anything else is unchanged.
///
/// The exceptions exist because phone numbers must reach the user unchanged:
/// `+33612345678` cannot smuggle a formula (a spreadsheet reads it as a number
/// at worst), nor can a number or an email made only of `[A-Za-z0-9._%+-]@…`.
///
///     FormulaGuard.neutralized("=1+1")           // "'=1+1"
///     FormulaGuard.neutralized("+33612345678")   // "+33612345678"
///     FormulaGuard.neutralized("-2+3+cmd|' /C calc'!A0")  // "'-2+3+cmd|' /C calc'!A0"
///
/// XLSX outputs do not need the guard: appended values are written as
/// inline strings, which no spreadsheet evaluates.
public enum FormulaGuard {
  /// The value to write: `value` itself, or `'` + `value` when it could run as a formula.
  ///
  /// - Parameters:
  ///   - value: A value that came from the API.
  ///   - listSeparator: When the value is a list (the `phones` column), its
  ///     separator: a list of E.164 phones is then accepted as is.
  public static func neutralized(_ value: String, listSeparator: String? = nil) -> String {
    needsGuard(value, listSeparator: listSeparator) ? "'" + value : value
  }

  /// Whether `value` must be prefixed with `'` (see the rule above).
  ///
  /// - Parameters:
  ///   - value: A value that came from the API.
  ///   - listSeparator: The separator of a list of phones, if the value is one.
  public static func needsGuard(_ value: String, listSeparator: String? = nil) -> Bool {
    guard let first = value.utf8.first else { return false }
    switch first {
    case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D:
      return true
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
      if isNumber(value) || isE164(value) || isEmail(value) { return false }
      if let sep = listSeparator, !sep.isEmpty, value.contains(sep) {
        let parts = value.components(separatedBy: sep)
        return !parts.allSatisfy(isE164)
      }
      return true
    default:
      return false
    }
  }

  /// Whether `s` is a decimal number: optional sign, digits with an optional
  /// fraction, optional exponent (`-12.5`, `+1e3`, `.5`).
  public static func isNumber(_ s: String) -> Bool {
    var it = Array(s.utf8)[...]
    if let c = it.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { it = it.dropFirst() }
    var digits = 0
    while let c = it.first, isDigit(c) {
      digits += 1
      it = it.dropFirst()
    }
    if it.first == UInt8(ascii: ".") {
      it = it.dropFirst()
      while let c = it.first, isDigit(c) {
        digits += 1
        it = it.dropFirst()
      }
    }
    guard digits > 0 else { return false }
    if let c = it.first, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
      it = it.dropFirst()
      if let c = it.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { it = it.dropFirst() }
      var exp = 0
      while let c = it.first, isDigit(c) {
        exp += 1
        it = it.dropFirst()
      }
      guard exp > 0 else { return false }
    }
    return it.isEmpty
  }

  /// Whether `s` is an E.164 phone number: `+`, a non-zero digit, 1–14 more digits.
  public static func isE164(_ s: String) -> Bool {
    let b = Array(s.utf8)
    guard b.count >= 3, b.count <= 16, b[0] == UInt8(ascii: "+"), b[1] != UInt8(ascii: "0")
    else { return false }
    return b.dropFirst().allSatisfy(isDigit)
  }

  /// Whether `s` is a plain email: local part of `[A-Za-z0-9._%+-]`, one `@`, a
  /// domain of `[A-Za-z0-9.-]` with a dot, no dot at either end of the domain.
  public static func isEmail(_ s: String) -> Bool {
    let b = Array(s.utf8)
    guard let at = b.firstIndex(of: UInt8(ascii: "@")), at > 0 else { return false }
    let local = b[..<at]
    let domain = b[(at + 1)...]
    guard local.allSatisfy({ isAlnum($0) || "._%+-".utf8.contains($0) }) else { return false }
    guard domain.count >= 3, domain.allSatisfy({ isAlnum($0) || $0 == 0x2E || $0 == 0x2D }),
      domain.contains(0x2E), domain.first != 0x2E, domain.last != 0x2E
    else { return false }
    return true
  }

  private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
  private static func isAlnum(_ c: UInt8) -> Bool {
    isDigit(c) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
  }
}
