/// Whether text read as Windows-1252 (a file without a byte-order mark that
/// is not UTF-8) plausibly is Windows-1252, and if not, which encoding it likely is.
///
/// A Greek, Japanese, Chinese or Mac file decodes as Windows-1252 without an
/// error (every byte is a character), so the check looks at the words: in
/// the lines of the sample holding bytes above 0x7F, each word (a run of
/// letters and non-ASCII characters) is judged plausible or not:
/// - a C1 control (`81 8D 8F 90 9D`), U+FFFD (invalid bytes), private use;
/// - a symbol among letters (`G—mez`, `Stra§e`; `’ ® ™ ©` and the like pass);
/// - letters of several scripts in one word (`Mόller`; Han with kana or
///   with ASCII passes);
/// - a Latin word with more accented letters than plain ones (`ÊùíóôáíôÝíïò`);
/// - an accented capital inside a lowercase word (`CafŽ`, `MŸller`).
///
/// The same words are decoded in each candidate encoding; for the double-byte
/// ones (Shift_JIS, GB18030, Big5) the share of characters from the common
/// range (JIS level 1 and kana, GB2312, Big5 level 1) counts too, because
/// their bytes also decode as each other's. The badness of an encoding is its
/// share of implausible words (or of uncommon characters, if higher).
/// Windows-1252 is implausible at 5 % of bad words, or with any C1 control;
/// the likely encoding is then the candidate with the lowest badness, when at
/// most 10 % and under half of Windows-1252's.
enum EncodingPlausibility {
  /// What the check found when the text is not plausible Windows-1252.
  struct Finding: Equatable {
    /// The 1-based line (in the sample) of the first implausible word.
    var line: Int
    /// That word as read in Windows-1252.
    var example: String
    /// The encoding the text likely is, if one fits.
    var likely: TextEncoding?
  }

  /// The candidates, in order of preference when they fit equally well.
  static let candidates: [(name: String, label: String)] = [
    ("utf-8", "UTF-8 with a few invalid bytes"), ("windows-1253", "Greek"),
    ("iso-8859-7", "Greek"), ("windows-1251", "Cyrillic"), ("windows-1250", "Central European"),
    ("macintosh", "Mac Roman"), ("cp932", "Japanese Shift_JIS"),
    ("gb18030", "Chinese GBK/GB18030"), ("big5", "Traditional Chinese Big5"),
  ]

  /// The label of a candidate encoding (`Greek`), for the warning.
  static func label(of encoding: TextEncoding) -> String? {
    candidates.first { $0.name == encoding.rawValue }?.label
  }

  /// Checks `sample` (the start of the file, no byte-order mark) as Windows-1252.
  ///
  /// - Parameter isComplete: Whether `sample` is the whole file (else its last line is left out).
  /// - Returns: `nil` when the text is plausible Windows-1252 (or has no byte above 0x7F).
  static func check(_ sample: UnsafeBufferPointer<UInt8>, isComplete: Bool) -> Finding? {
    let lines = highLines(sample, isComplete: isComplete)
    guard !lines.isEmpty else { return nil }
    let western = judge(lines, decode: { bytes in bytes.map { Windows1252.scalar($0) } })
    guard let example = western.firstBad else { return nil }
    let badness = western.badness
    guard badness >= 0.05 || western.hasC1 else { return nil }
    var best: (encoding: TextEncoding, badness: Double)?
    for candidate in candidates {
      guard let encoding = TextEncoding(name: candidate.name) else { continue }
      var score: Judgement
      if candidate.name == "utf-8" {
        score = judge(lines) { bytes in
          Array(String(decoding: bytes, as: UTF8.self).unicodeScalars).map(\.value)
        }
      } else {
        guard case .iconv(let name) = encoding.decoding, let decoder = IconvDecoder(from: name)
        else { continue }
        score = judge(lines) { decodeLeniently($0, decoder) }
      }
      var b = score.badness
      if let common = commonShare(lines, encoding: candidate.name) { b = max(b, 1 - common) }
      if b <= 0.1 && b < badness / 2 && (best == nil || b < best!.badness) {
        best = (encoding, b)
      }
    }
    return Finding(line: example.line, example: example.word, likely: best?.encoding)
  }

  /// The lines of the sample with a byte above 0x7F (64 KiB at most), with their line numbers.
  static func highLines(_ sample: UnsafeBufferPointer<UInt8>, isComplete: Bool) -> [(
    line: Int, bytes: ArraySlice<UInt8>
  )] {
    var result: [(Int, ArraySlice<UInt8>)] = []
    let bytes = Array(sample)
    var start = 0
    var line = 1
    var total = 0
    var i = 0
    while i < bytes.count && total < 64 << 10 {
      if bytes[i] == 0x0A || bytes[i] == 0x0D {
        let slice = bytes[start..<i]
        if slice.contains(where: { $0 >= 0x80 }) {
          result.append((line, slice))
          total += slice.count
        }
        if !(bytes[i] == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) { line += 1 }
        start = i + 1
      }
      i += 1
    }
    if isComplete && start < bytes.count && total < 64 << 10 {
      let slice = bytes[start...]
      if slice.contains(where: { $0 >= 0x80 }) { result.append((line, slice)) }
    }
    return result
  }

  /// How the words of some lines read in one encoding.
  struct Judgement {
    /// Words holding a non-ASCII character.
    var words = 0
    /// Of them, the implausible ones.
    var bad = 0
    /// Whether a C1 control was read.
    var hasC1 = false
    /// The first implausible word and its line.
    var firstBad: (line: Int, word: String)?

    /// The share of implausible words.
    var badness: Double { words == 0 ? 0 : Double(bad) / Double(words) }
  }

  /// Judges every word of `lines` decoded by `decode` (bytes to scalar values).
  static func judge(
    _ lines: [(line: Int, bytes: ArraySlice<UInt8>)], decode: (ArraySlice<UInt8>) -> [UInt32]
  ) -> Judgement {
    var j = Judgement()
    for (line, bytes) in lines {
      let scalars = decode(bytes)
      var word: [UInt32] = []
      func close() {
        defer { word.removeAll(keepingCapacity: true) }
        guard word.contains(where: { $0 >= 0x80 }) else { return }
        j.words += 1
        if word.contains(where: { $0 >= 0x80 && $0 < 0xA0 }) { j.hasC1 = true }
        if !isPlausible(word) {
          j.bad += 1
          if j.firstBad == nil {
            let text = String(
              String.UnicodeScalarView(word.compactMap(Unicode.Scalar.init).prefix(40)))
            j.firstBad = (line, text)
          }
        }
      }
      for s in scalars {
        // ASCII other than letters, and spaces, end a word.
        let breaks =
          s < 0x80
          ? !((s >= 0x41 && s <= 0x5A) || (s >= 0x61 && s <= 0x7A))
          : (s == 0xA0 || s == 0x3000 || (Unicode.Scalar(s)?.properties.isWhitespace ?? false))
        if breaks { close() } else { word.append(s) }
      }
      close()
    }
    return j
  }

  /// The script of a letter, coarsely.
  enum Script { case latin, greek, cyrillic, han, kana, halfwidthKana, hangul, other }

  static func script(_ s: UInt32) -> Script {
    switch s {
    case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF: return .latin
    case 0x370...0x3FF, 0x1F00...0x1FFF: return .greek
    case 0x400...0x52F: return .cyrillic
    case 0x3005...0x3007, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF:
      return .han
    case 0x3040...0x30FF, 0x31F0...0x31FF: return .kana
    case 0xFF66...0xFF9F: return .halfwidthKana
    case 0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF: return .hangul
    default: return .other
    }
  }

  /// Non-letters that real names and companies hold among letters.
  static let allowedSymbols: Set<UInt32> = [
    0x2019, 0x2018, 0xB4, 0xB7, 0xAA, 0xBA, 0xB0, 0xAE, 0x2122, 0xA9, 0x2010, 0x2011, 0x20AC,
  ]

  /// Whether one word (holding a non-ASCII character) is plausible text.
  static func isPlausible(_ word: [UInt32]) -> Bool {
    // A word without letters (`–`, `€`, `©` standing alone) is punctuation, not a word.
    let hasLetter = word.contains { Unicode.Scalar($0)?.properties.isAlphabetic == true }
    if !hasLetter {
      return !word.contains {
        $0 == 0xFFFD || ($0 >= 0x80 && $0 < 0xA0) || ($0 >= 0xE000 && $0 <= 0xF8FF)
      }
    }
    var scripts = Set<Script>()
    var ascii = 0
    var accented = 0
    var previousLower = false
    for (k, s) in word.enumerated() {
      if s == 0xFFFD || (s >= 0x80 && s < 0xA0) || (s >= 0xE000 && s <= 0xF8FF) { return false }
      guard let scalar = Unicode.Scalar(s) else { return false }
      let p = scalar.properties
      if !(p.isAlphabetic || p.generalCategory == .nonspacingMark) {
        // Quotes and brackets around a word (`“quoted”`, `«Acme»`).
        let edge = k == 0 || k == word.count - 1
        let quote: Set<Unicode.GeneralCategory> = [
          .initialPunctuation, .finalPunctuation, .openPunctuation, .closePunctuation,
        ]
        if edge && (quote.contains(p.generalCategory) || s == 0x201A || s == 0x201E) { continue }
        // Fullwidth forms and CJK punctuation go with CJK text.
        if (0x3000...0x303F).contains(s) || (0xFF00...0xFF65).contains(s) || s == 0x30FB {
          continue
        }
        if !allowedSymbols.contains(s) { return false }
        continue
      }
      let sc = script(s)
      if s < 0x80 { ascii += 1 } else if sc == .latin { accented += 1 }
      if sc != .latin || s >= 0x80 { scripts.insert(sc) }
      if s >= 0x80 && p.isUppercase && k > 0 {
        let nextLower =
          k + 1 < word.count && Unicode.Scalar(word[k + 1])?.properties.isLowercase == true
        if previousLower || nextLower { return false }
      }
      previousLower = p.isLowercase
    }
    scripts.remove(.other)
    if scripts.count > 1 && scripts != [.han, .kana] { return false }
    if ascii > 0
      && (scripts.contains(.halfwidthKana) || scripts.contains(.greek)
        || scripts.contains(.cyrillic) || scripts.contains(.hangul))
    {
      return false
    }
    if scripts == [.latin] && accented > ascii && accented + ascii >= 4 { return false }
    return true
  }

  /// Decodes bytes with iconv, each invalid byte read as U+FFFD.
  static func decodeLeniently(_ bytes: ArraySlice<UInt8>, _ decoder: IconvDecoder) -> [UInt32] {
    var out: [UInt8] = []
    let capacity = bytes.count * 4 + 16
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    defer { buffer.deallocate() }
    bytes.withUnsafeBufferPointer { input in
      var i = 0
      while i < input.count {
        let step = decoder.convert(
          UnsafeBufferPointer(rebasing: input[i...]), into: buffer, capacity: capacity)
        out.append(contentsOf: UnsafeBufferPointer(start: buffer, count: step.written))
        i += step.consumed
        if step.stop == .invalid || step.stop == .incomplete {
          out.append(contentsOf: [0xEF, 0xBF, 0xBD])
          i += 1
        }
        if step.stop == .outputFull { break }
      }
    }
    _ = decoder.finish(into: buffer, capacity: capacity)
    return String(decoding: out, as: UTF8.self).unicodeScalars.map(\.value)
  }

  /// For a double-byte encoding, the share of its characters in the lines that
  /// come from its common range; `nil` for other encodings or no such character.
  static func commonShare(_ lines: [(line: Int, bytes: ArraySlice<UInt8>)], encoding: String)
    -> Double?
  {
    guard ["cp932", "gb18030", "big5"].contains(encoding) else { return nil }
    var pairs = 0
    var common = 0
    for (_, bytes) in lines {
      var i = bytes.startIndex
      while i < bytes.endIndex {
        let b = bytes[i]
        if b < 0x80 {
          i += 1
          continue
        }
        if encoding == "cp932" && (0xA1...0xDF).contains(b) {
          i += 1  // a half-width katakana: judged by its word
          continue
        }
        let t = i + 1 < bytes.endIndex ? bytes[i + 1] : 0
        pairs += 1
        switch encoding {
        case "cp932":
          if (0x81...0x83).contains(b) || (0x88...0x98).contains(b) { common += 1 }
        case "gb18030":
          if ((0xB0...0xF7).contains(b) || (0xA1...0xA3).contains(b)) && t >= 0xA1 { common += 1 }
        default:
          if (0xA1...0xC6).contains(b) { common += 1 }
        }
        i += 2
      }
    }
    return pairs == 0 ? nil : Double(common) / Double(pairs)
  }
}
