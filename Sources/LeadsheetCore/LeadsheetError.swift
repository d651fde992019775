/// An error that stops a stage, with where it happened and what to do.
///
/// Rendered on one line, compiler style:
///
///     leads.csv:1204: unbalanced quote: the field opened here never closes (fix the quote or pass --delimiter)
///     leads.xlsx: Sheet1!C12: cell longer than 32,767 characters
///
/// Per-row outcomes (a row without a name, a contact not found) are values,
/// never `LeadsheetError`s.
public struct LeadsheetError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What kind of failure this is; stable, usable as a counter label or exit-code key.
  public struct Code: Sendable, Hashable, CustomStringConvertible {
    let rawValue: String
    public var description: String { rawValue }
    /// The file could not be opened or read.
    public static let unreadable = Code(rawValue: "unreadable")
    /// The file's content is malformed (bad quote, broken ZIP, invalid XML).
    public static let malformed = Code(rawValue: "malformed")
    /// The file is refused on purpose (DOCTYPE, ZIP bomb, encrypted workbook, oversized cell).
    public static let refused = Code(rawValue: "refused")
    /// The file is not of a supported format.
    public static let unsupported = Code(rawValue: "unsupported")
    /// A command-line option or setting is wrong.
    public static let usage = Code(rawValue: "usage")
    /// Something the user asked for does not exist (a sheet, a column, a job).
    public static let notFound = Code(rawValue: "not-found")
    /// A database or file could not be written.
    public static let storage = Code(rawValue: "storage")
  }

  /// The kind of failure.
  public var code: Code
  /// The file concerned, as the user named it; `nil` when no file is involved.
  public var file: String?
  /// Where in the file.
  public var location: SourceLocation
  /// What went wrong, in a few words.
  public var message: String
  /// What the user can do about it, if anything.
  public var hint: String?

  /// Creates an error.
  public init(
    _ code: Code, file: String? = nil, location: SourceLocation = .file, _ message: String,
    hint: String? = nil
  ) {
    self.code = code
    self.file = file
    self.location = location
    self.message = message
    self.hint = hint
  }

  /// The one-line rendering shown to users.
  ///
  /// Line breaks inside the parts (libxml2's messages end in a second `Bytes: …` line, a
  /// file or sheet name may hold one) become spaces, so it is one line whatever they hold.
  public var description: String {
    let s = rendered
    guard s.contains(where: \.isNewline) else { return s }
    return s.split(whereSeparator: \.isNewline).joined(separator: " ")
  }

  private var rendered: String {
    var s = ""
    if let file {
      s += file
      switch location {
      case .file: s += ": "
      case .line: s += ":\(location): "
      default: s += ": \(location): "
      }
    }
    s += message
    if let hint { s += " (\(hint))" }
    return s
  }
}
