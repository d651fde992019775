/// A place in an input file, rendered the way compilers and spreadsheets name it.
///
/// `leads.csv:1204`, `leads.xlsx: Sheet1!C1204`.
public enum SourceLocation: Sendable, Hashable, CustomStringConvertible {
  /// A whole file.
  case file
  /// A 1-based line of a text file.
  case line(Int)
  /// A cell of a sheet, by A1 reference (`C1204`).
  case cell(sheet: String, reference: String)
  /// A row of a sheet.
  case row(sheet: String, row: Int)
  /// A part inside a ZIP container (`xl/sharedStrings.xml`).
  case part(String)

  public var description: String {
    switch self {
    case .file: return ""
    case .line(let n): return "\(n)"
    case .cell(let sheet, let reference): return "\(sheet)!\(reference)"
    case .row(let sheet, let row): return "\(sheet)!\(row):\(row)"
    case .part(let name): return name
    }
  }

  /// The A1 column letters of a 0-based column index (`0` → `A`, `27` → `AB`).
  public static func columnLetters(_ index: Int) -> String {
    var n = index + 1
    var letters: [Character] = []
    while n > 0 {
      let r = (n - 1) % 26
      letters.append(Character(UnicodeScalar(UInt8(65 + r))))
      n = (n - 1) / 26
    }
    return String(letters.reversed())
  }
}
