/// Byte-level text helpers behind the mapping's fast paths.
///
/// The normalisers are specified with `Character` semantics (grapheme
/// clusters, `Character.isWhitespace`, `Character.isLetter`…), which cost a
/// Unicode property lookup per character. Most cells are ASCII or Latin
/// (`Müller`, `lumière.fr`), and for those a byte-level pass gives exactly the
/// same answer, several times faster:
///
/// - `.ascii`: every byte is below 0x80;
/// - `.latin`: every scalar is below U+0300 (ASCII, Latin-1 Supplement, Latin
///   Extended-A and -B, IPA, spacing modifiers) and, when not ASCII, lowercases
///   to one non-ASCII scalar below U+0300 (`İ`, `Ⱥ`… are left out).
///
/// In such text every scalar is a grapheme cluster of its own (`\r\n` aside,
/// both whitespace), so `Character` properties are the scalar's, splitting on
/// characters is splitting on bytes, and lowercasing keeps each scalar's UTF-8
/// length. Anything else (`.other`: combining marks, CJK, emoji…) takes the
/// original `Character`-based code. `FastPathDifferentialTests` checks these
/// claims exhaustively over the scalars involved and compares every fast path
/// with the original code.
enum FastText {
  /// How far a string's bytes can be handled byte by byte.
  enum Kind {
    /// Only ASCII bytes.
    case ascii
    /// Only scalars below U+0300 with simple lowercase mappings (see `FastText`).
    case latin
    /// Anything else: use the `Character`-based code.
    case other
  }

  /// The outcome of a fast path that may leave its input as it is.
  enum Edit {
    /// The input, unchanged.
    case same
    /// A new string.
    case new(String)
    /// The fast path does not apply: use the `Character`-based code.
    case slow
  }

  /// `latin` entry bit: the scalar is whitespace (`Character.isWhitespace`).
  static let whitespaceBit: UInt32 = 1 << 16
  /// `latin` entry bit: `Character.isLetter`.
  static let letterBit: UInt32 = 1 << 17
  /// `latin` entry bit: `Character.isNumber`.
  static let numberBit: UInt32 = 1 << 18
  /// `latin` entry value of the low 16 bits for a scalar outside `.latin`.
  static let noLowercase: UInt32 = 0xFFFF

  /// Facts about each scalar below U+0300, indexed by scalar value: the low 16
  /// bits hold the lowercase scalar (`noLowercase` when the scalar is not
  /// allowed in `.latin` text), plus `whitespaceBit`, `letterBit`, `numberBit`.
  static let latin: [UInt32] = (0..<0x300).map { value -> UInt32 in
    let scalar = Unicode.Scalar(UInt32(value))!
    let character = Character(scalar)
    var entry: UInt32 = noLowercase
    let lower = Array(String(character).lowercased().unicodeScalars)
    if value < 0x80 {
      entry = lower[0].value
    } else if lower.count == 1, lower[0].value >= 0x80, lower[0].value < 0x300 {
      entry = lower[0].value
    }
    if character.isWhitespace { entry |= whitespaceBit }
    if character.isLetter { entry |= letterBit }
    if character.isNumber { entry |= numberBit }
    return entry
  }

  /// `latin` in memory that is never freed, so that hot loops read it without
  /// retaining an array (read-only after initialisation).
  nonisolated(unsafe) static let latinTable: UnsafePointer<UInt32> = {
    let table = UnsafeMutablePointer<UInt32>.allocate(capacity: latin.count)
    table.initialize(from: latin, count: latin.count)
    return UnsafePointer(table)
  }()

  /// Classifies UTF-8 bytes (valid UTF-8, as every Swift string is).
  static func kind(_ u: UnsafeBufferPointer<UInt8>) -> Kind {
    var any: UInt8 = 0
    for byte in u { any |= byte }
    if any < 0x80 { return .ascii }
    return latinKind(u)
  }

  /// `kind`, and whether the text may hold whitespace (`false` when every
  /// byte is above the space and below 0x80), in one pass.
  static func survey(_ u: UnsafeBufferPointer<UInt8>) -> (kind: Kind, maySpace: Bool) {
    var any: UInt8 = 0
    var least: UInt8 = 0xFF
    for byte in u {
      any |= byte
      least = min(least, byte)
    }
    if any < 0x80 { return (.ascii, least <= 32) }
    return (latinKind(u), true)
  }

  /// In one pass, whether the bytes are ASCII, and whether they are already
  /// collapsed: non-empty, no whitespace but single spaces between other
  /// characters (`collapsingWhitespace` would leave them as they are).
  @inline(__always)
  static func surveyName(_ u: UnsafeBufferPointer<UInt8>) -> (isASCII: Bool, isCollapsed: Bool) {
    var any: UInt8 = 0
    var clean = true
    var previousSpace = true
    for byte in u {
      any |= byte
      if byte == 32 {
        if previousSpace { clean = false }
        previousSpace = true
      } else {
        if isASCIISpace(byte) { clean = false }
        previousSpace = false
      }
    }
    return (any < 0x80, clean && !previousSpace)
  }

  /// `kind` for text known to hold a non-ASCII byte.
  static func latinKind(_ u: UnsafeBufferPointer<UInt8>) -> Kind {
    let table = latinTable
    var i = 0
    let n = u.count
    while i < n {
      let byte = u[i]
      if byte < 0x80 {
        i += 1
        continue
      }
      // Two-byte sequences C2 80 … CB BF are U+0080 … U+02FF.
      guard byte >= 0xC2, byte <= 0xCB, i + 1 < n else { return .other }
      let value = Int(byte & 0x1F) << 6 | Int(u[i + 1] & 0x3F)
      guard table[value] & 0xFFFF != noLowercase else { return .other }
      i += 2
    }
    return .latin
  }

  /// The scalar value of the two-byte sequence at `i` (a `.latin` lead byte).
  @inline(__always)
  static func scalar2(_ u: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
    Int(u[i] & 0x1F) << 6 | Int(u[i + 1] & 0x3F)
  }

  /// Whether a byte is ASCII whitespace: space, tab, LF, VT, FF, CR.
  @inline(__always)
  static func isASCIISpace(_ byte: UInt8) -> Bool { byte == 32 || (byte &- 9) < 5 }

  /// The length of the whitespace scalar at `i` in `.ascii`/`.latin` text
  /// (1 for ASCII whitespace, 2 for U+0085 and U+00A0), or 0.
  @inline(__always)
  static func spaceLength(_ u: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
    let byte = u[i]
    if byte < 0x80 { return isASCIISpace(byte) ? 1 : 0 }
    if byte == 0xC2, i + 1 < u.count, u[i + 1] == 0x85 || u[i + 1] == 0xA0 { return 2 }
    return 0
  }

  /// Whether `.ascii`/`.latin` bytes contain whitespace.
  static func containsSpace(_ u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
    for i in range {
      let byte = u[i]
      if isASCIISpace(byte) { return true }
      if byte == 0xC2, i + 1 < range.upperBound, u[i + 1] == 0x85 || u[i + 1] == 0xA0 {
        return true
      }
    }
    return false
  }

  /// The range of `.ascii`/`.latin` bytes without leading and trailing whitespace.
  static func trimmed(_ u: UnsafeBufferPointer<UInt8>) -> Range<Int> {
    var lo = 0
    var hi = u.count
    while lo < hi {
      let length = spaceLength(u, lo)
      if length == 0 { break }
      lo += length
    }
    while hi > lo {
      let byte = u[hi - 1]
      if isASCIISpace(byte) {
        hi -= 1
      } else if hi - 2 >= lo, u[hi - 2] == 0xC2, byte == 0x85 || byte == 0xA0 {
        hi -= 2
      } else {
        break
      }
    }
    return lo..<hi
  }

  /// A string of `u[range]`.
  @inline(__always)
  static func string(_ u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: u[range]), as: UTF8.self)
  }

  /// Whether `u[range]` equals lowercase ASCII `word` ignoring ASCII case
  /// (non-ASCII bytes never match, as no `.latin` scalar lowercases to ASCII).
  static func equalsLowercased(
    _ u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ word: StaticString
  ) -> Bool {
    guard range.count == word.utf8CodeUnitCount else { return false }
    let w = word.utf8Start
    var j = 0
    for i in range {
      var byte = u[i]
      if byte &- 65 < 26 { byte += 32 }
      guard byte == w[j] else { return false }
      j += 1
    }
    return true
  }

  /// Whether `u[range]` ends with lowercase ASCII `suffix`, ignoring ASCII case.
  static func hasLowercasedSuffix(
    _ u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ suffix: StaticString
  ) -> Bool {
    let n = suffix.utf8CodeUnitCount
    guard range.count >= n else { return false }
    return equalsLowercased(u, (range.upperBound - n)..<range.upperBound, suffix)
  }

  /// Calls `body` with the string's UTF-8 bytes when they are contiguous.
  @inline(__always)
  static func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
    text.utf8.withContiguousStorageIfAvailable(body)
  }

}
