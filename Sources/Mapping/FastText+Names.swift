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
  /// construction. Made once, on first use (about 128,000 two-scalar strings).
  nonisolated(unsafe) static let unicodeTable: UnsafePointer<UInt8> = {
    let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x10000)
    for value in 0..<0x10000 {
      guard let scalar = Unicode.Scalar(UInt32(value)) else {
        table[value] = 0
        continue
      }
      var entry: UInt8 = 0
      if scalar.properties.isWhitespace { entry |= unicodeWhitespaceBit }
      var before = String(scalar)
      before.unicodeScalars.append(" ")
      if before.count == 2 { entry |= breaksBeforeSpaceBit }
      var after = " "
      after.unicodeScalars.append(scalar)
      if after.count == 2 { entry |= breaksAfterSpaceBit }
      table[value] = entry
    }
    return UnsafePointer(table)
  }()

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
