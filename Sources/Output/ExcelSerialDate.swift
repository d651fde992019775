/// Converts the ISO 8601 text of a `.date` cell into an Excel serial date (1900 system).
///
/// Excel counts days from 1899-12-30 and keeps Lotus 1-2-3's phantom
/// 1900-02-29 (serial 60): dates before 1900-03-01 are one less than the plain
/// day count, so 1900-01-01 is 1. Times are the fraction of a day; a time
/// alone (`09:30:00`) is a serial below 1. Dates before 1900-01-01 have no
/// serial: the caller writes them as text.
enum ExcelSerialDate {
  /// What the text held, for the cell style.
  enum Kind {
    /// A calendar date (`yyyy-mm-dd`).
    case date
    /// A date and a time (`yyyy-mm-dd hh:mm:ss`).
    case dateTime
    /// A time of day (`hh:mm:ss`).
    case time
  }

  /// The serial as `<v>` text and its kind, or `nil` when `text` is not a date Excel can hold.
  ///
  /// Accepts `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` (or a space for `T`)
  /// and `HH:MM[:SS[.fff]]`.
  static func serial(_ text: String) -> (value: String, kind: Kind)? {
    let b = Array(text.utf8)
    if b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") {
      guard let y = number(b, 0, 4), let m = number(b, 5, 2), let d = number(b, 8, 2),
        (1900...9999).contains(y), (1...12).contains(m), (1...daysIn(m, y)).contains(d)
      else { return nil }
      var days = daysFromCivil(y, m, d) - daysFromCivil(1899, 12, 30)
      if days < 61 { days -= 1 }
      if b.count == 10 { return (String(days), .date) }
      guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
        let seconds = timeOfDay(b[11...])
      else { return nil }
      return (format(Double(days) + seconds / 86_400), .dateTime)
    }
    guard let seconds = timeOfDay(b[...]) else { return nil }
    return (format(seconds / 86_400), .time)
  }

  /// The serial of a `.date` cell, with the time of day its input format hid
  /// (`Cell.hiddenTime`) added back to a date-only value: `2024-03-01` with
  /// 34,200,000 ms → `45352.395833333336`, still a `.date` (shown as the date).
  static func serial(_ text: String, hiddenTime: UInt32) -> (value: String, kind: Kind)? {
    guard let found = serial(text) else { return nil }
    guard hiddenTime > 0, found.kind == .date, let days = Double(found.value) else { return found }
    return (format(days + Double(hiddenTime) / 86_400_000), .date)
  }

  /// Seconds since midnight of `HH:MM[:SS[.fff]]`, or `nil`.
  private static func timeOfDay(_ b: ArraySlice<UInt8>) -> Double? {
    let t = Array(b)
    guard t.count == 5 || t.count >= 8, t[2] == UInt8(ascii: ":"),
      let h = number(t, 0, 2), let m = number(t, 3, 2), h < 24, m < 60
    else { return nil }
    var seconds = Double(h * 3600 + m * 60)
    if t.count >= 8 {
      guard t[5] == UInt8(ascii: ":"), let s = number(t, 6, 2), s < 60 else { return nil }
      seconds += Double(s)
      if t.count > 8 {
        guard t[8] == UInt8(ascii: "."), t.count > 9,
          let frac = Double("0" + String(decoding: t[8...], as: UTF8.self))
        else { return nil }
        seconds += frac
      }
    }
    return seconds
  }

  private static func format(_ v: Double) -> String {
    if v == v.rounded() { return String(Int(v)) }
    return "\(v)"
  }

  private static func number(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
    guard start + count <= b.count else { return nil }
    var n = 0
    for c in b[start..<(start + count)] {
      guard c >= 0x30, c <= 0x39 else { return nil }
      n = n * 10 + Int(c - 0x30)
    }
    return n
  }

  private static func daysIn(_ m: Int, _ y: Int) -> Int {
    switch m {
    case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
  static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }
}
