/// What the first bytes of a file say about its text encoding.
struct EncodingDetection: Equatable {
  /// The encoding to decode the file with.
  var encoding: TextEncoding
  /// Bytes of byte-order mark to skip at the start (0, 2, 3 or 4).
  var bomLength: Int
  /// Whether a byte-order mark was found (and skipped).
  var hasBOM: Bool { bomLength > 0 }
}

/// Decides a CSV file's encoding from a sample of its first bytes.
///
/// In order:
/// 1. a byte-order mark: `EF BB BF` UTF-8, `FF FE 00 00` UTF-32LE,
///    `00 00 FE FF` UTF-32BE, `FF FE` UTF-16LE, `FE FF` UTF-16BE (Excel's
///    "Unicode Text");
/// 2. no mark but NUL bytes: UTF-32 or UTF-16 recognised by the pattern of
///    the text (`unmarkedWide`);
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
      // The mark of the very encoding, or of the other byte order of the same width, is obeyed.
      if let bom, bom.encoding == override || bom.encoding.sameFamily(as: override) { return bom }
      return EncodingDetection(encoding: override, bomLength: 0)
    }
    if let bom { return bom }
    if let wide = unmarkedWide(sample, isComplete: isComplete) {
      return EncodingDetection(encoding: wide, bomLength: 0)
    }
    if isValidUTF8(sample, allowTruncatedEnd: !isComplete) {
      return EncodingDetection(encoding: .utf8, bomLength: 0)
    }
    return EncodingDetection(encoding: .windows1252, bomLength: 0)
  }

  /// The byte-order mark `sample` starts with, if any.
  static func byteOrderMark(_ sample: UnsafeBufferPointer<UInt8>) -> EncodingDetection? {
    if sample.count >= 4 && sample[0] == 0xFF && sample[1] == 0xFE && sample[2] == 0
      && sample[3] == 0
    {
      return EncodingDetection(encoding: .utf32LE, bomLength: 4)
    }
    if sample.count >= 4 && sample[0] == 0 && sample[1] == 0 && sample[2] == 0xFE
      && sample[3] == 0xFF
    {
      return EncodingDetection(encoding: .utf32BE, bomLength: 4)
    }
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

  /// UTF-16 or UTF-32 without a byte-order mark, recognised by the pattern of the text.
  ///
  /// Only a sample holding a NUL byte is looked at (UTF-8 and single-byte
  /// text have none). Each of UTF-32LE, UTF-32BE, UTF-16LE and UTF-16BE is
  /// tried on the first 64 KiB as code units; one fits when every unit is a
  /// text character (no U+0000, no C0 control but tab, CR and LF, no
  /// unpaired surrogate, nothing past U+10FFFF) and the text has the shape
  /// of a table (line breaks, delimiters or quotes as whole units, or mostly
  /// ASCII). CJK and surrogate pairs put zero bytes in both byte positions
  /// of UTF-16, so no parity rule is used: the wrong byte order reads
  /// `,` (`2C 00`) as U+2C00, which is not a delimiter. When both byte
  /// orders fit, the one with more delimiters and line breaks wins; a tie
  /// is no decision (the NUL error then asks for `--encoding`).
  static func unmarkedWide(_ sample: UnsafeBufferPointer<UInt8>, isComplete: Bool) -> TextEncoding?
  {
    let n = min(sample.count, 64 << 10)
    guard n >= 2, sample[..<n].contains(0) else { return nil }
    let window = UnsafeBufferPointer(rebasing: sample[..<n])
    let whole = isComplete && n == sample.count
    for (encoding, bigEndian) in [(TextEncoding.utf32LE, false), (.utf32BE, true)] {
      if let shape = wideShape(window, width: 4, bigEndian: bigEndian, whole: whole), shape.fits {
        return encoding
      }
    }
    let le = wideShape(window, width: 2, bigEndian: false, whole: whole)
    let be = wideShape(window, width: 2, bigEndian: true, whole: whole)
    switch (le?.fits == true ? le : nil, be?.fits == true ? be : nil) {
    case (.some, nil): return .utf16LE
    case (nil, .some): return .utf16BE
    case (.some(let l), .some(let b)):
      if l.structure != b.structure { return l.structure > b.structure ? .utf16LE : .utf16BE }
      return nil
    default: return nil
    }
  }

  /// What a sample looks like read as code units of `width` bytes.
  struct WideShape: Equatable {
    /// Code units read.
    var units = 0
    /// Units that are ASCII.
    var ascii = 0
    /// Units that are line breaks, `,` `;` tab `|` or `"`.
    var structure = 0
    /// Whether every unit is a text character.
    var valid = true

    /// Whether the sample is text of this width: valid, and shaped like a table or mostly ASCII.
    var fits: Bool { valid && units > 0 && (structure > 0 || ascii * 2 >= units) }
  }

  /// Reads `sample` as UTF-16 (`width` 2) or UTF-32 (`width` 4) code units; `nil` when too short.
  static func wideShape(
    _ sample: UnsafeBufferPointer<UInt8>, width: Int, bigEndian: Bool, whole: Bool
  ) -> WideShape? {
    let count = sample.count / width
    guard count > 0 else { return nil }
    var shape = WideShape()
    var pendingHigh = false
    for k in 0..<count {
      var unit: UInt32 = 0
      for j in 0..<width {
        let b = UInt32(sample[k * width + (bigEndian ? j : width - 1 - j)])
        unit = unit << 8 | b
      }
      shape.units += 1
      if pendingHigh {
        pendingHigh = false
        if unit >= 0xDC00 && unit <= 0xDFFF { continue }
        shape.valid = false
        return shape
      }
      switch unit {
      case 0x09, 0x0A, 0x0D, 0x22, 0x2C, 0x3B, 0x7C:
        shape.structure += 1
        shape.ascii += 1
      case 0x00...0x1F, 0x7F, 0xFFFE, 0xFFFF:
        shape.valid = false
        return shape
      case 0x20..<0x80:
        shape.ascii += 1
      case 0xD800...0xDBFF where width == 2:
        pendingHigh = true
      case 0xD800...0xDFFF, 0x11_0000...:
        shape.valid = false
        return shape
      default:
        break
      }
    }
    // A pair or a unit cut by the end is left to the transcoder (U+FFFD, counted).
    return shape
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

extension TextEncoding {
  /// Whether both are UTF-16, or both UTF-32 (of either byte order).
  func sameFamily(as other: TextEncoding) -> Bool {
    let sixteen: Set<TextEncoding> = [.utf16LE, .utf16BE]
    let thirtyTwo: Set<TextEncoding> = [.utf32LE, .utf32BE]
    return (sixteen.contains(self) && sixteen.contains(other))
      || (thirtyTwo.contains(self) && thirtyTwo.contains(other))
  }
}
