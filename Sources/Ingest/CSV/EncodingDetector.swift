/// What the first bytes of a file say about its text encoding.
struct EncodingDetection: Equatable {
  /// The encoding to decode the file with.
  var encoding: TextEncoding
  /// Bytes of byte-order mark to skip at the start (0, 2 or 3).
  var bomLength: Int
  /// Whether a byte-order mark was found (and skipped).
  var hasBOM: Bool { bomLength > 0 }
}

/// Decides a CSV file's encoding from a sample of its first bytes.
///
/// In order:
/// 1. a byte-order mark: `EF BB BF` UTF-8, `FF FE` UTF-16LE, `FE FF` UTF-16BE
///    (Excel's "Unicode Text");
/// 2. no mark but NUL bytes in every other position of the sample: UTF-16
///    without a mark (NULs at odd offsets: little-endian);
/// 3. a sample that is valid UTF-8 (ASCII included): UTF-8;
/// 4. anything else: Windows-1252.
///
/// An encoding given as an option wins; a byte-order mark of that very
/// encoding is still skipped.
enum EncodingDetector {
  /// Detects the encoding of `sample`, the first bytes of a file.
  ///
  /// - Parameters:
  ///   - sample: The first bytes (1 MiB when reading a file).
  ///   - isComplete: Whether `sample` is the whole file; when not, a UTF-8
  ///     sequence cut at its end is not held against UTF-8.
  ///   - override: The encoding the user chose, if any.
  static func detect(
    _ sample: UnsafeBufferPointer<UInt8>, isComplete: Bool, override: TextEncoding? = nil
  ) -> EncodingDetection {
    let bom = byteOrderMark(sample)
    if let override {
      if let bom, bom.encoding == override { return bom }
      return EncodingDetection(encoding: override, bomLength: 0)
    }
    if let bom { return bom }
    if let utf16 = unmarkedUTF16(sample) { return EncodingDetection(encoding: utf16, bomLength: 0) }
    if isValidUTF8(sample, allowTruncatedEnd: !isComplete) {
      return EncodingDetection(encoding: .utf8, bomLength: 0)
    }
    return EncodingDetection(encoding: .windows1252, bomLength: 0)
  }

  /// The byte-order mark `sample` starts with, if any.
  static func byteOrderMark(_ sample: UnsafeBufferPointer<UInt8>) -> EncodingDetection? {
    if sample.count >= 3 && sample[0] == 0xEF && sample[1] == 0xBB && sample[2] == 0xBF {
      return EncodingDetection(encoding: .utf8, bomLength: 3)
    }
    if sample.count >= 2 && sample[0] == 0xFF && sample[1] == 0xFE {
      return EncodingDetection(encoding: .utf16LE, bomLength: 2)
    }
    if sample.count >= 2 && sample[0] == 0xFE && sample[1] == 0xFF {
      return EncodingDetection(encoding: .utf16BE, bomLength: 2)
    }
    return nil
  }

  /// UTF-16 without a byte-order mark: mostly-ASCII text has a NUL in every other byte.
  ///
  /// Looks at the first 4 KiB; needs NULs in at least 40 % of one parity and
  /// in none of the other, so binary files still fall through to the NUL error.
  static func unmarkedUTF16(_ sample: UnsafeBufferPointer<UInt8>) -> TextEncoding? {
    let n = min(sample.count, 4096) & ~1
    guard n >= 4 else { return nil }
    var evenNUL = 0
    var oddNUL = 0
    var i = 0
    while i < n {
      if sample[i] == 0 { evenNUL += 1 }
      if sample[i + 1] == 0 { oddNUL += 1 }
      i += 2
    }
    let pairs = n / 2
    if evenNUL == 0 && oddNUL * 10 >= pairs * 4 { return .utf16LE }
    if oddNUL == 0 && evenNUL * 10 >= pairs * 4 { return .utf16BE }
    return nil
  }

  /// Whether `bytes` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
  ///
  /// - Parameter allowTruncatedEnd: Accept a sequence cut short by the end of
  ///   `bytes` (a sample that stops mid-character).
  static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, allowTruncatedEnd: Bool) -> Bool {
    // Runs of ASCII eight bytes at a time, two- and three-byte sequences
    // (Latin, Greek, Cyrillic, Arabic, CJK…) checked inline; four-byte
    // sequences and a sequence that reaches the end go to `checkUTF8`.
    guard let p = bytes.baseAddress else { return true }
    let n = bytes.count
    let raw = UnsafeRawPointer(p)
    var i = 0
    // Eight bytes at a time from the start and after each ASCII byte (not
    // after every scalar: in CJK or Cyrillic text the next bytes rarely are).
    var ascii = true
    while i < n {
      if ascii {
        while i + 8 <= n,
          raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
        {
          i += 8
        }
        guard i < n else { break }
      }
      let b = p[i]
      ascii = b < 0x80
      if ascii {
        i += 1
      } else if b < 0xE0, i + 1 < n {
        guard b >= 0xC2, p[i + 1] & 0xC0 == 0x80 else { return false }
        i += 2
      } else if b < 0xF0, b >= 0xE0, i + 2 < n {
        let c1 = p[i + 1]
        let low: UInt8 = b == 0xE0 ? 0xA0 : 0x80
        let high: UInt8 = b == 0xED ? 0x9F : 0xBF
        guard c1 >= low, c1 <= high, p[i + 2] & 0xC0 == 0x80 else { return false }
        i += 3
      } else {
        return checkUTF8(bytes, from: i, allowTruncatedEnd: allowTruncatedEnd)
      }
    }
    return true
  }

  /// `isValidUTF8` from offset `start` (a scalar boundary), one sequence at a time.
  static func checkUTF8(
    _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, allowTruncatedEnd: Bool
  ) -> Bool {
    let n = bytes.count
    var i = start
    while i < n {
      let b = bytes[i]
      if b < 0x80 {
        i += 1
        continue
      }
      let length: Int
      var low: UInt8 = 0x80
      var high: UInt8 = 0xBF
      switch b {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        low = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        high = 0x9F
      case 0xF0:
        length = 4
        low = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        high = 0x8F
      default: return false
      }
      for k in 1..<length {
        guard i + k < n else { return allowTruncatedEnd }
        let c = bytes[i + k]
        if k == 1 ? (c < low || c > high) : (c < 0x80 || c > 0xBF) { return false }
      }
      i += length
    }
    return true
  }
}
