/// One cell of an input list, as read from the file.
///
/// `text` is what a user sees in the cell: for CSV the field exactly as read
/// (after decoding), for XLSX the rendered value (shared string, number as its
/// shortest round-tripping text, integer without `.0`, date as ISO 8601).
/// `kind` keeps the spreadsheet type so that an XLSX output can write numbers
/// as numbers and dates as dates.
public struct Cell: Sendable, Hashable, Codable {
  /// The spreadsheet type of a cell.
  public enum Kind: UInt8, Sendable, Hashable, Codable {
    /// Text (every CSV field, XLSX shared and inline strings).
    case text = 0
    /// A number; `text` is its shortest round-tripping decimal form.
    case number = 1
    /// A date, time or date-time; `text` is ISO 8601 (`2024-03-01`, `2024-03-01T09:30:00`, `09:30:00`).
    case date = 2
    /// A boolean; `text` is `TRUE` or `FALSE`.
    case boolean = 3
    /// A spreadsheet error value; `text` is the error (`#N/A`, `#DIV/0!`…).
    case error = 4
  }

  /// The text of the cell as a user sees it.
  public var text: String
  /// The spreadsheet type of the cell.
  public var kind: Kind
  /// The time of day, in milliseconds after midnight (1…86,399,999), that the
  /// format of a `.date` cell hides; 0 when it hides none.
  ///
  /// An XLSX cell formatted `yyyy-mm-dd` may hold 2024-03-01 09:30: `text`
  /// is `2024-03-01`, what the user sees and what mapping and CSV output use,
  /// and `hiddenTime` is 34,200,000, so that an XLSX output writes the full
  /// value (45352.395833…) under a date format, as the input had it. Kept to
  /// the millisecond, Excel's own precision. (It fits the padding after `kind`:
  /// a `Cell` stays 24 bytes.)
  public var hiddenTime: UInt32

  /// Creates a cell.
  public init(_ text: String, kind: Kind = .text, hiddenTime: UInt32 = 0) {
    self.text = text
    self.kind = kind
    self.hiddenTime = hiddenTime
  }

  /// An empty text cell.
  public static let empty = Cell("")

  /// Whether the cell holds nothing but whitespace.
  ///
  /// Decided from the first bytes in the common case: an ASCII letter or digit
  /// ends the check; only text made of non-ASCII bytes and whitespace falls back
  /// to Unicode's whitespace property.
  public var isBlank: Bool {
    var text = text
    let fast: Bool? = text.withUTF8 { bytes in
      for b in bytes {
        switch b {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: continue
        case 0..<0x80: return false
        default: return nil
        }
      }
      return true
    }
    return fast ?? text.allSatisfy(\.isWhitespace)
  }
}

extension Cell {
  private enum CodingKeys: String, CodingKey { case text, kind, hiddenTime }

  /// Decodes a cell; `hiddenTime` is optional (0 when absent).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      try c.decode(String.self, forKey: .text), kind: try c.decode(Kind.self, forKey: .kind),
      hiddenTime: try c.decodeIfPresent(UInt32.self, forKey: .hiddenTime) ?? 0)
  }

  /// Encodes a cell; `hiddenTime` only when it is not 0.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(text, forKey: .text)
    try c.encode(kind, forKey: .kind)
    if hiddenTime != 0 { try c.encode(hiddenTime, forKey: .hiddenTime) }
  }
}

extension Cell: ExpressibleByStringLiteral {
  public init(stringLiteral value: String) { self.init(value) }
}
