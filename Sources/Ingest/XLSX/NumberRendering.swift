#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Renders spreadsheet numbers and date serials as text.
enum NumberRendering {
  /// Renders the text of a `<v>` number: integers as plain digits, other
  /// numbers as the shortest text that round-trips, without exponent between
  /// 1e-15 and 1e21.
  ///
  /// `33612345678` → `33612345678`, `1.23456789012345E+14` → `123456789012345`,
  /// `2.1000000000000001` → `2.1`, `1E-3` → `0.001`.
  static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    // Fast path: an optional '-' and up to 18 digits, no leading zero.
    let n = bytes.count
    if n > 0 && n <= 19 {
      var i = bytes[0] == 0x2D ? 1 : 0
      let start = i
      while i < n && bytes[i] &- 0x30 < 10 { i += 1 }
      if i == n && n > start {
        let leadingZero = bytes[start] == 0x30 && n > start + 1
        let negativeZero = start == 1 && n == 2 && bytes[1] == 0x30
        if !leadingZero && !negativeZero { return String(decoding: bytes, as: UTF8.self) }
      }
    }
    guard let x = parseDouble(bytes) else { return nil }
    return format(x)
  }

  /// Parses the bytes of a number as a `Double` (`nil` if they are not one).
  static func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
    guard bytes.count > 0 && bytes.count < 64 else { return nil }
    var tmp: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
      (0, 0, 0, 0, 0, 0, 0, 0)
    return withUnsafeMutableBytes(of: &tmp) { raw -> Double? in
      let p = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
      for i in 0..<bytes.count {
        let c = bytes[i]
        // Only what a number may hold: no "inf", "nan" or hex.
        guard c &- 0x30 < 10 || c == 0x2B || c == 0x2D || c == 0x2E || c | 0x20 == 0x65 else {
          return nil
        }
        p[i] = CChar(bitPattern: c)
      }
      p[bytes.count] = 0
      var end: UnsafeMutablePointer<CChar>?
      let x = strtod(p, &end)
      guard let end, end == p + bytes.count, x.isFinite else { return nil }
      return x
    }
  }

  /// The shortest round-tripping decimal text of `x`, without exponent where reasonable.
  static func format(_ x: Double) -> String {
    if x == 0 { return "0" }
    if x == x.rounded(), abs(x) < 9.0e18 { return String(Int64(x)) }
    let s = x.description
    guard let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return s }
    // d.ddde±x → plain decimal when the exponent is moderate.
    guard let exp = Int(s[s.index(after: e)...]), exp >= -15 && exp < 21 else { return s }
    var mantissa = String(s[..<e])
    let negative = mantissa.hasPrefix("-")
    if negative { mantissa.removeFirst() }
    let dot = mantissa.firstIndex(of: ".")
    let intPart = dot.map { String(mantissa[..<$0]) } ?? mantissa
    var digits = intPart + (dot.map { String(mantissa[mantissa.index(after: $0)...]) } ?? "")
    while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast() }
    let point = intPart.count + exp  // digits before the decimal point
    var out: String
    if point <= 0 {
      out = "0." + String(repeating: "0", count: -point) + digits
    } else if point >= digits.count {
      out = digits + String(repeating: "0", count: point - digits.count)
    } else {
      let k = digits.index(digits.startIndex, offsetBy: point)
      out = digits[..<k] + "." + digits[k...]
    }
    return negative ? "-" + out : out
  }

  /// Renders a date serial in `style`, or `nil` when it is outside 0…9999-12-31.
  ///
  /// The 1900 system counts 1900-01-01 as day 1 and keeps Lotus's fictitious
  /// 1900-02-29 (day 60); the 1904 system counts 1904-01-01 as day 0. A time
  /// of day with a date part (≥ 1) is rendered as a date-time.
  static func date(_ serial: Double, style: NumberStyle, date1904: Bool) -> String? {
    guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
    let total = Int((serial * 86_400).rounded())
    // A date-only format shows the day the value falls in (to the millisecond):
    // 23:59:59.7 hidden under `yyyy-mm-dd` is still that day (see `hiddenTime`).
    let days =
      style == .date ? Int((serial * 86_400_000).rounded()) / 86_400_000 : total / 86_400
    let secs = total % 86_400
    // Built in a fixed buffer: "YYYY-MM-DDTHH:MM:SS" or "HHHHHHHH:MM:SS".
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buf -> String in
      var n = 0
      func put2(_ v: Int) {
        buf[n] = UInt8(48 + v / 10)
        buf[n + 1] = UInt8(48 + v % 10)
        n += 2
      }
      func putTime(hours: Int) {
        if hours >= 100 {
          for ch in String(hours).utf8 {
            buf[n] = ch
            n += 1
          }
        } else {
          put2(hours)
        }
        buf[n] = 0x3A
        n += 1
        put2(secs / 60 % 60)
        buf[n] = 0x3A
        n += 1
        put2(secs % 60)
      }
      if style == .elapsed {
        putTime(hours: total / 3600)
      } else if style == .time && days == 0 {
        putTime(hours: secs / 3600)
      } else {
        var y = 1900
        var m = 2
        var d = 29
        if date1904 || days != 60 {
          // Days since 1970-01-01 of each system's day 0.
          let epoch = date1904 ? -24_107 : (days < 60 ? -25_568 : -25_569)
          (y, m, d) = civil(days + epoch)
        }
        put2(y / 100)
        put2(y % 100)
        buf[n] = 0x2D
        n += 1
        put2(m)
        buf[n] = 0x2D
        n += 1
        put2(d)
        if style != .date {
          buf[n] = 0x54
          n += 1
          putTime(hours: secs / 3600)
        }
      }
      return String(decoding: UnsafeBufferPointer(rebasing: buf[0..<n]), as: UTF8.self)
    }
  }

  /// The time of day, in milliseconds, that a date-only format hides: the
  /// fraction of `serial` rounded to the millisecond (Excel's precision), 0
  /// when there is none or the style is not `.date` (a date-time or time
  /// style shows its time).
  ///
  /// `45352.395833333336` under `yyyy-mm-dd` → 34,200,000 (09:30:00.000).
  static func hiddenTime(_ serial: Double, style: NumberStyle) -> UInt32 {
    guard style == .date, serial.isFinite, serial >= 0, serial < 2_958_466 else { return 0 }
    return UInt32(Int((serial * 86_400_000).rounded()) % 86_400_000)
  }

  /// (year, month, day) of a count of days since 1970-01-01 (Howard Hinnant's civil_from_days).
  static func civil(_ z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }
}
