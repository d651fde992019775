import Foundation

/// One cell's value as `--order-by` compares it: a number, a date, text, or blank.
///
/// What is recognised:
/// - **numbers**: an optional sign or accounting parentheses (`(1,200)` is −1,200), an
///   optional currency sign (`$ € £ ¥`), digits with optional thousands commas in groups
///   of three (`1,200`, `1,234,567.5`), an optional decimal part (`3.5`, `.5`), an
///   optional exponent (`1e6`), an optional trailing `%` (`85%` is 0.85). XLSX number
///   cells are numbers. `3,5` (a decimal comma) is not a number: it is text.
/// - **dates**: ISO 8601 dates and date-times (`2024-03-01`, `2024-03-01T09:30`,
///   `2024-03-01 09:30:00.5Z`, `2024-03-01T09:30:00+02:00`; without an offset a time is
///   taken as UTC), US `M/D/YYYY` with an optional `H:MM[:SS]` and `AM`/`PM`
///   (`3/1/2024`, `12/31/2023 5:30 PM`), and XLSX date cells (with the time their format
///   hides; a time-only cell is a time on day zero).
/// - **blanks**: empty or whitespace-only cells, and XLSX error cells (`#N/A`).
/// - **text**: everything else (XLSX booleans included), compared case-insensitively.
///
/// A column mixing kinds sorts numbers first, then dates, then text, then blanks, in
/// both directions: `:desc` reverses the order within each kind, never the kinds
/// themselves, so blanks (and stray text such as `n/a` in a score column) stay last.
/// Equal values keep file order (the caller breaks ties by row).
public enum OrderKey: Sendable, Hashable {
  /// A number.
  case number(Double)
  /// A date or date-time, in seconds since 1970-01-01 00:00 UTC.
  case date(Double)
  /// Text, folded to lower case.
  case text(String)
  /// Nothing to compare: always last.
  case blank

  /// The key of a cell.
  public init(_ cell: Cell) {
    if cell.kind == .error || cell.isBlank {
      self = .blank
      return
    }
    let text = cell.text.trimmingCharacters(in: .whitespacesAndNewlines)
    if cell.kind == .date {
      if let seconds = Self.dateSeconds(text) ?? Self.timeOfDaySeconds(text) {
        self = .date(seconds + Double(cell.hiddenTime) / 1000)
        return
      }
    }
    if let number = Self.number(text) {
      self = .number(number)
    } else if let seconds = Self.dateSeconds(text) {
      self = .date(seconds)
    } else {
      self = .text(text.lowercased())
    }
  }

  /// The key of a text (a CSV field).
  public init(_ text: String) { self.init(Cell(text)) }

  /// The kind's place: numbers (0), dates (1), text (2), blanks (3), in both directions.
  public var kindRank: Int {
    switch self {
    case .number: 0
    case .date: 1
    case .text: 2
    case .blank: 3
    }
  }

  /// Whether `self` is sent before `other` (a strict weak order; equal keys are neither).
  ///
  /// - Parameter descending: Reverses the order within each kind (not the kinds, not blanks).
  public func precedes(_ other: OrderKey, descending: Bool) -> Bool {
    switch (self, other) {
    case (.number(let a), .number(let b)), (.date(let a), .date(let b)):
      return descending ? a > b : a < b
    case (.text(let a), .text(let b)):
      return descending ? a > b : a < b
    default:
      return kindRank < other.kindRank
    }
  }
}

// MARK: - Numbers

extension OrderKey {
  /// A number as exports write it, or `nil`.
  static func number(_ text: String) -> Double? {
    var bytes = Array(text.utf8)
    var negative = false
    var percent = false
    if bytes.first == UInt8(ascii: "("), bytes.last == UInt8(ascii: ")") {
      negative = true
      bytes = Array(bytes.dropFirst().dropLast())
    }
    if bytes.last == UInt8(ascii: "%") {
      percent = true
      bytes.removeLast()
    }
    var i = 0
    func skipSpaces() { while i < bytes.count, bytes[i] == 0x20 { i += 1 } }
    func skipCurrency() {
      let signs: [[UInt8]] = [[0x24], Array("€".utf8), Array("£".utf8), Array("¥".utf8)]
      for s in signs where bytes[i...].starts(with: s) {
        i += s.count
        skipSpaces()
        return
      }
    }
    if i < bytes.count { skipCurrency() }
    if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
      if negative { return nil }
      negative = bytes[i] == UInt8(ascii: "-")
      i += 1
      if i < bytes.count { skipCurrency() }
    }
    // Integer part: digits, or groups of three after commas.
    var digits: [UInt8] = []
    var groupLength = 0
    var sawComma = false
    var firstGroup = 0
    while i < bytes.count {
      let b = bytes[i]
      if b >= 0x30 && b <= 0x39 {
        digits.append(b)
        groupLength += 1
      } else if b == UInt8(ascii: ",") {
        if sawComma { guard groupLength == 3 else { return nil } } else { firstGroup = groupLength }
        guard groupLength > 0 else { return nil }
        sawComma = true
        groupLength = 0
      } else {
        break
      }
      i += 1
    }
    if sawComma {
      guard groupLength == 3, firstGroup <= 3 else { return nil }
    }
    var rest = ""
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      var fraction: [UInt8] = []
      while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 {
        fraction.append(bytes[i])
        i += 1
      }
      guard !digits.isEmpty || !fraction.isEmpty else { return nil }
      rest = "." + String(decoding: fraction, as: UTF8.self)
    }
    guard !digits.isEmpty || !rest.isEmpty else { return nil }
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      var exponent = "e"
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
        exponent.append(Character(UnicodeScalar(bytes[i])))
        i += 1
      }
      var any = false
      while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 {
        exponent.append(Character(UnicodeScalar(bytes[i])))
        any = true
        i += 1
      }
      guard any else { return nil }
      rest += exponent
    }
    guard i == bytes.count else { return nil }
    let literal = (digits.isEmpty ? "0" : String(decoding: digits, as: UTF8.self)) + rest
    guard var value = Double(literal), value.isFinite else { return nil }
    if percent { value /= 100 }
    return negative ? -value : value
  }
}

// MARK: - Dates

extension OrderKey {
  /// Seconds since 1970 of an ISO 8601 date or date-time, or a US `M/D/YYYY` one.
  static func dateSeconds(_ text: String) -> Double? {
    var scanner = DateScanner(Array(text.utf8))
    return scanner.isoDate()
      ?? {
        var us = DateScanner(Array(text.utf8))
        return us.usDate()
      }()
  }

  /// Seconds after midnight of `HH:MM[:SS[.fff]]` (an XLSX time-only cell).
  static func timeOfDaySeconds(_ text: String) -> Double? {
    var scanner = DateScanner(Array(text.utf8))
    guard let seconds = scanner.time(), scanner.atEnd else { return nil }
    return seconds
  }

  /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
  static func days(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// Whether `day` exists in `month` of `year`.
  static func isValid(year: Int, month: Int, day: Int) -> Bool {
    guard (1...12).contains(month), day >= 1 else { return false }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return day <= lengths[month - 1]
  }
}

/// Reads the parts of a date from ASCII bytes, left to right.
private struct DateScanner {
  let bytes: [UInt8]
  var i = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var atEnd: Bool { i == bytes.count }

  func peek(_ c: Character) -> Bool { i < bytes.count && bytes[i] == c.asciiValue! }

  mutating func eat(_ c: Character) -> Bool {
    guard peek(c) else { return false }
    i += 1
    return true
  }

  /// 1…`max` digits (exactly `min`…`max`).
  mutating func digits(min: Int, max: Int) -> Int? {
    var value = 0
    var n = 0
    while n < max, i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
      value = value * 10 + Int(bytes[i] - 0x30)
      i += 1
      n += 1
    }
    return n >= min ? value : nil
  }

  /// `YYYY-MM-DD`, then an optional time and offset, then the end.
  mutating func isoDate() -> Double? {
    guard let year = digits(min: 4, max: 4), eat("-"), let month = digits(min: 2, max: 2),
      eat("-"), let day = digits(min: 2, max: 2),
      OrderKey.isValid(year: year, month: month, day: day)
    else { return nil }
    var seconds = Double(OrderKey.days(year: year, month: month, day: day)) * 86_400
    if atEnd { return seconds }
    guard eat("T") || eat("t") || eat(" "), let time = time() else { return nil }
    seconds += time
    if atEnd { return seconds }
    if eat("Z") || eat("z") { return atEnd ? seconds : nil }
    let sign: Double = eat("+") ? 1 : eat("-") ? -1 : 0
    guard sign != 0, let hours = digits(min: 2, max: 2) else { return nil }
    _ = eat(":")
    guard let minutes = digits(min: 2, max: 2), atEnd else { return nil }
    return seconds - sign * Double(hours * 3600 + minutes * 60)
  }

  /// `M/D/YYYY`, then an optional ` H:MM[:SS]` and ` AM`/` PM`, then the end.
  mutating func usDate() -> Double? {
    guard let month = digits(min: 1, max: 2), eat("/"), let day = digits(min: 1, max: 2),
      eat("/"), let year = digits(min: 4, max: 4),
      OrderKey.isValid(year: year, month: month, day: day)
    else { return nil }
    var seconds = Double(OrderKey.days(year: year, month: month, day: day)) * 86_400
    if atEnd { return seconds }
    guard eat(" "), var time = time() else { return nil }
    let hour = Int(time / 3600)
    while eat(" ") {}
    if eat("A") || eat("a") {
      guard eat("M") || eat("m"), (1...12).contains(hour) else { return nil }
      if hour == 12 { time -= 12 * 3600 }
    } else if eat("P") || eat("p") {
      guard eat("M") || eat("m"), (1...12).contains(hour) else { return nil }
      if hour != 12 { time += 12 * 3600 }
    }
    guard atEnd else { return nil }
    seconds += time
    return seconds
  }

  /// `H:MM[:SS[.fff]]` (hours 0–23, or one or two digits): seconds after midnight.
  mutating func time() -> Double? {
    guard let hours = digits(min: 1, max: 2), hours < 24, eat(":"),
      let minutes = digits(min: 2, max: 2), minutes < 60
    else { return nil }
    var seconds = Double(hours * 3600 + minutes * 60)
    if eat(":") {
      guard let s = digits(min: 2, max: 2), s < 61 else { return nil }
      seconds += Double(s)
      if eat(".") || eat(",") {
        var scale = 0.1
        var any = false
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
          seconds += Double(bytes[i] - 0x30) * scale
          scale /= 10
          any = true
          i += 1
        }
        guard any else { return nil }
      }
    }
    return seconds
  }
}
