extension FastText {
  /// `unicodeTable` entry bit: the scalar is whitespace (`Character.isWhitespace`
  /// of a character that starts with it).
  static let unicodeWhitespaceBit: UInt8 = 1
  /// `unicodeTable` entry bit: a space after the scalar starts a new
  /// character (the scalar is not a grapheme-cluster `Prepend`).
  static let breaksBeforeSpaceBit: UInt8 = 2
  /// `unicodeTable` entry bit: the scalar after a space starts a new character
  /// (it is not `Extend`, `ZWJ` or `SpacingMark`, which join the space).
  static let breaksAfterSpaceBit: UInt8 = 4

  /// Facts about every scalar of the Basic Multilingual Plane (surrogates
  /// aside), indexed by scalar value: `unicodeWhitespaceBit`,
  /// `breaksBeforeSpaceBit`, `breaksAfterSpaceBit`, each taken from the
  /// standard library (`Unicode.Scalar.Properties`, `String.count`), so that
  /// the name fast path agrees with the `Character`-based code by
  /// construction. Made once, on first use: about 20,000 scalars are tried
  /// next to a space; the large blocks of `uniformBlocks` take the answer of
  /// their first scalar (`unicodeTableMatchesTheStandardLibrary` checks every
  /// scalar of them).
  nonisolated(unsafe) static let unicodeTable: UnsafePointer<UInt8> = {
    let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x10000)
    var value = 0
    while value < 0x10000 {
      if let block = uniformBlocks.first(where: { $0.contains(value) }) {
        let entry = unicodeEntry(value)
        (table + value).initialize(repeating: entry, count: block.upperBound - value)
        value = block.upperBound
      } else {
        table[value] = unicodeEntry(value)
        value += 1
      }
    }
    return UnsafePointer(table)
  }()

  /// Blocks whose scalars are all letters of one kind for grapheme breaking
  /// (CJK ideographs, Hangul syllables, Yi, private use) and surrogates.
  static let uniformBlocks: [Range<Int>] = [
    0x3400..<0x4DC0, 0x4E00..<0xA000, 0xA000..<0xA48D, 0xAC00..<0xD7A4, 0xD800..<0xE000,
    0xE000..<0xF900,
  ]

  /// The `unicodeTable` entry of one scalar, from the standard library.
  static func unicodeEntry(_ value: Int) -> UInt8 {
    guard let scalar = Unicode.Scalar(UInt32(value)) else { return 0 }
    var entry: UInt8 = 0
    if scalar.properties.isWhitespace { entry |= unicodeWhitespaceBit }
    // Most scalars are a character of their own between two spaces: one string.
    var between = " "
    between.unicodeScalars.append(scalar)
    between.unicodeScalars.append(" ")
    if between.count == 3 { return entry | breaksBeforeSpaceBit | breaksAfterSpaceBit }
    var before = String(scalar)
    before.unicodeScalars.append(" ")
    if before.count == 2 { entry |= breaksBeforeSpaceBit }
    var after = " "
    after.unicodeScalars.append(scalar)
    if after.count == 2 { entry |= breaksAfterSpaceBit }
    return entry
  }

  /// Whether `collapsingWhitespace()` leaves a name of any script exactly as
  /// it is, decided by bytes; `false` when it may not (or when unsure: the
  /// caller then takes the `Character`-based code).
  ///
  /// `collapsingWhitespace()` splits the text into characters (grapheme
  /// clusters), drops those that start with a whitespace scalar, and joins the
  /// runs between them with one space. On text already checked by
  /// `surveyName` (no ASCII whitespace but single spaces between other
  /// bytes), that changes nothing exactly when:
  ///
  /// - no scalar is whitespace but U+0020 (a no-break space, an ideographic
  ///   space… would become a space or go);
  /// - every U+0020 is a character of its own: the scalar before it is not
  ///   `Prepend` (U+0600… would take the space into its character, which is
  ///   then kept as it is) and the scalar after it is not `Extend`, `ZWJ` or
  ///   `SpacingMark` (a combining mark after a space makes a whitespace
  ///   character with the mark, and both go).
  ///
  /// Grapheme breaks next to a space depend only on the scalar on the other
  /// side (no rule of UAX #29 looks further when one side is a space), so the
  /// two-scalar strings of `unicodeTable` decide them exactly. Scalars
  /// outside the BMP next to a space give `false` (emoji, rare CJK).
  ///
  /// - Parameter u: Valid UTF-8 for which `surveyName` gave `isCollapsed`.
  static func keepsCollapsedName(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
    let table = unicodeTable
    let n = u.count
    var i = 0
    // The scalar before the current position (ASCII: any value below 0x80).
    var previous = 0
    var afterSpace = false
    while i < n {
      let byte = u[i]
      if byte < 0x80 {
        if byte == 32 {
          if previous >= 0x80 {
            guard previous < 0x10000, table[previous] & breaksBeforeSpaceBit != 0 else {
              return false
            }
          }
          afterSpace = true
        } else {
          afterSpace = false
        }
        previous = Int(byte)
        i += 1
        continue
      }
      let value: Int
      if byte < 0xE0 {
        value = Int(byte & 0x1F) << 6 | Int(u[i + 1] & 0x3F)
        i += 2
      } else if byte < 0xF0 {
        value = Int(byte & 0x0F) << 12 | Int(u[i + 1] & 0x3F) << 6 | Int(u[i + 2] & 0x3F)
        i += 3
      } else {
        // Outside the BMP: never whitespace; unsure only next to a space.
        if afterSpace { return false }
        previous = 0x10000
        i += 4
        continue
      }
      let entry = table[value]
      if entry & unicodeWhitespaceBit != 0 { return false }
      if afterSpace && entry & breaksAfterSpaceBit == 0 { return false }
      afterSpace = false
      previous = value
    }
    return true
  }
}
