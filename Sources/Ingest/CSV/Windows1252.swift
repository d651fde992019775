/// The Windows-1252 code page ("ANSI" on Western Windows), decoded to Unicode.
///
/// Bytes `0x00`–`0x7F` are ASCII and `0xA0`–`0xFF` are Latin-1; `0x80`–`0x9F`
/// hold the typographic characters Excel writes (`€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž
/// ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ`). The five undefined bytes (`81 8D 8F 90 9D`)
/// map to the C1 controls of the same value, as the WHATWG encoding standard
/// does, so no byte is ever lost.
enum Windows1252 {
  /// The code points of bytes `0x80`–`0x9F`.
  static let high: [UInt16] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
  ]

  /// The Unicode scalar value of one Windows-1252 byte.
  @inline(__always)
  static func scalar(_ byte: UInt8) -> UInt32 {
    if byte >= 0x80 && byte < 0xA0 { return UInt32(high[Int(byte) - 0x80]) }
    return UInt32(byte)
  }

  /// Decodes Windows-1252 bytes to a `String`.
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
    return String(unsafeUninitializedCapacity: bytes.count * 3) { out in
      var o = 0
      for b in bytes {
        o = UTF8Output.write(scalar(b), to: out.baseAddress!, at: o)
      }
      return o
    }
  }
}

/// Writing Unicode scalars as UTF-8 into raw memory.
enum UTF8Output {
  /// Writes `scalar` as UTF-8 at `out + at`.
  ///
  /// - Returns: The offset after the written bytes (1 to 4 later).
  @inline(__always)
  static func write(_ scalar: UInt32, to out: UnsafeMutablePointer<UInt8>, at: Int) -> Int {
    if scalar < 0x80 {
      out[at] = UInt8(scalar)
      return at + 1
    }
    if scalar < 0x800 {
      out[at] = UInt8(0xC0 | (scalar >> 6))
      out[at + 1] = UInt8(0x80 | (scalar & 0x3F))
      return at + 2
    }
    if scalar < 0x10000 {
      out[at] = UInt8(0xE0 | (scalar >> 12))
      out[at + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
      out[at + 2] = UInt8(0x80 | (scalar & 0x3F))
      return at + 3
    }
    out[at] = UInt8(0xF0 | (scalar >> 18))
    out[at + 1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
    out[at + 2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
    out[at + 3] = UInt8(0x80 | (scalar & 0x3F))
    return at + 4
  }
}
