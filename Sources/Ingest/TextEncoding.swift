/// A text encoding the CSV reader can decode: its own (UTF-8, UTF-16, Windows-1252)
/// or any the C library's `iconv` knows (Shift_JIS, GB18030, Big5, Windows-1253…).
///
/// `rawValue` is the canonical name, stored with a job and shown by `inspect`:
/// `utf-8`, `utf-16le`, `utf-16be`, `utf-32le`, `utf-32be`, `windows-1252`, or
/// an iconv name in lower case (`cp932`, `gb18030`, `big5`, `macintosh`).
///
///     TextEncoding(name: "Shift_JIS")   // cp932 (Excel's Japanese CSV)
///     TextEncoding(name: "mac_roman")   // macintosh
///     TextEncoding(name: "klingon")     // nil
public struct TextEncoding: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  /// How the reader decodes the encoding.
  enum Decoding: Hashable {
    /// Bytes kept as they are, each field checked (invalid fields read as Windows-1252).
    case utf8
    /// UTF-16 transcoded by `UTF16Transcoder` (invalid code units become U+FFFD, counted).
    case utf16(bigEndian: Bool)
    /// One byte, one character, decoded field by field (`Windows1252`).
    case windows1252
    /// Converted to UTF-8 by `IconvDecoder` under this name; invalid bytes are an error.
    case iconv(String)
  }

  /// The canonical name.
  public let rawValue: String
  /// How to decode it.
  let decoding: Decoding

  private init(_ rawValue: String, _ decoding: Decoding) {
    self.rawValue = rawValue
    self.decoding = decoding
  }

  /// UTF-8 (ASCII included).
  public static let utf8 = TextEncoding("utf-8", .utf8)
  /// UTF-16, little-endian (Excel's "Unicode Text").
  public static let utf16LE = TextEncoding("utf-16le", .utf16(bigEndian: false))
  /// UTF-16, big-endian.
  public static let utf16BE = TextEncoding("utf-16be", .utf16(bigEndian: true))
  /// UTF-32, little-endian.
  public static let utf32LE = TextEncoding("utf-32le", .iconv("UTF-32LE"))
  /// UTF-32, big-endian.
  public static let utf32BE = TextEncoding("utf-32be", .iconv("UTF-32BE"))
  /// Windows-1252, "ANSI" on Western Windows (Latin-1 read as it, too).
  public static let windows1252 = TextEncoding("windows-1252", .windows1252)

  /// The encodings decoded without iconv, by their names and aliases.
  private static let builtIn: [String: TextEncoding] = [
    "utf-8": .utf8, "utf8": .utf8, "utf-8-sig": .utf8, "ascii": .utf8, "us-ascii": .utf8,
    "utf-16": .utf16LE, "utf16": .utf16LE, "utf-16le": .utf16LE, "utf16le": .utf16LE,
    "utf-16be": .utf16BE, "utf16be": .utf16BE,
    "utf-32": .utf32LE, "utf32": .utf32LE, "utf-32le": .utf32LE, "utf32le": .utf32LE,
    "utf-32be": .utf32BE, "utf32be": .utf32BE,
    "windows-1252": .windows1252, "cp1252": .windows1252, "latin1": .windows1252,
    "latin-1": .windows1252, "iso-8859-1": .windows1252, "iso8859-1": .windows1252,
    "ansi": .windows1252,
  ]

  /// Python's names (as in `codecs`) that glibc spells otherwise.
  private static let iconvSpellings: [String: String] = [
    "mac-roman": "macintosh", "macroman": "macintosh", "mac": "macintosh",
    "shift-jis": "shift_jis", "sjis": "shift_jis", "ms932": "cp932", "windows-31j": "cp932",
    "ms936": "gbk", "cp936": "gbk", "euc-cn": "gb2312",
  ]

  /// The encoding called `name` (any letter case, `_` or `-`), or `nil` when
  /// neither leadsheet nor the C library's iconv knows it.
  public init?(name: String) {
    let folded = name.lowercased().replacingOccurrences(of: "_", with: "-")
    if let known = Self.builtIn[folded] {
      self = known
      return
    }
    let spelled = Self.iconvSpellings[folded] ?? folded
    for candidate in [spelled, name, spelled.replacingOccurrences(of: "-", with: "_")]
    where IconvDecoder.knows(candidate) {
      self.init(spelled, .iconv(candidate))
      return
    }
    return nil
  }

  /// The encoding of a canonical or alias name (as `init(name:)`).
  public init?(rawValue: String) { self.init(name: rawValue) }

  /// A hint listing the names `--encoding` accepts.
  public static let namesHint =
    "use utf-8, utf-16le, utf-16be, utf-32le, utf-32be, windows-1252, or a name iconv knows "
    + "(see `iconv -l`), such as cp932 (Japanese Excel), gb18030 (Chinese Excel), big5, "
    + "windows-1253 (Greek), windows-1251 (Cyrillic) or macintosh (Mac Roman)"

  public var description: String { rawValue }

  /// Whether the reader transcodes the whole input before parsing (it is then not cut in parts).
  var isTranscoded: Bool {
    switch decoding {
    case .utf8, .windows1252: return false
    case .utf16, .iconv: return true
    }
  }
}
