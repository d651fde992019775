import LeadsheetCore

/// The byte-level CSV state machine: splits a stream of ASCII-compatible
/// bytes into records of unescaped field bytes.
///
/// Grammar: RFC 4180, plus what real exports contain, read leniently the way
/// Python's `csv` module does:
/// - a record ends at LF, CRLF or a lone CR (mixed freely); line breaks inside
///   a quoted field belong to the field;
/// - a field is quoted only when `"` is its first byte; `""` inside it is one
///   `"`;
/// - a `"` inside an unquoted field is kept literally (`ab"c` → `ab"c`);
/// - text after a closing quote is kept (`"ab"c` → `abc`), and the rest of
///   that field is read as unquoted;
/// - an empty line is a record with no fields.
///
/// States (`State`), with their valid transitions:
/// - `recordStart`: a CRLF's LF left over → `recordStart`; anything else →
///   `fieldStart` (without consuming it).
/// - `fieldStart`: `"` → `quoted`; anything else → `unquoted` (not consumed).
/// - `unquoted`: delimiter → `fieldStart`; line break → record done.
/// - `quoted`: `"` → `quoteInQuoted`; anything else stays.
/// - `quoteInQuoted`: `"` → `quoted` (a literal quote); delimiter →
///   `fieldStart`; line break → record done; anything else → `unquoted`.
///
/// At the end of the input, `quoted` is an unbalanced quote (an error naming
/// the line where the field opened); any other state ends the last record.
/// NUL bytes, fields over the byte limit (`IngestLimits.maxCellBytes`, 1 MiB) and records over the column limit
/// are errors too, each naming its line.
///
/// `SourceRow.number` is the 1-based physical line where a record starts;
/// CRLF counts as one line break.
struct CSVParser {
  /// Where the parser is inside a record; see the type's documentation.
  enum State: UInt8 {
    case recordStart, fieldStart, unquoted, quoted, quoteInQuoted
  }

  private static let quote = UInt8(ascii: "\"")
  private static let lf: UInt8 = 0x0A
  private static let cr: UInt8 = 0x0D

  /// The field delimiter.
  let delimiter: UInt8
  /// The file as the user named it, for errors.
  let file: String
  private let input: DecodedInput
  private let maxFieldBytes: Int
  private let maxColumns: Int
  private let singleByteText: Bool
  private var chunk = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
  private var position = 0
  /// The physical line the parser is on (1-based; after the end, one past the last line break).
  private(set) var line = 1
  /// Whether the last byte of the previous chunk was a CR (a CRLF may straddle chunks).
  private var lastCR = false
  private var inputDone = false

  /// A field's bytes when they cannot be read in place: split across chunks or
  /// holding doubled quotes. Empty for most fields.
  private var scratch: [UInt8] = []
  /// The fields of the record last parsed, decoded to UTF-8.
  private(set) var fields = FieldBuffer()
  /// The 1-based line where the last record returned starts.
  private(set) var recordLine = 0
  /// Fields of a UTF-8 file that were not valid UTF-8 (read as Windows-1252).
  private(set) var invalidUTF8Fields = 0
  /// The line of the first of them.
  private(set) var firstInvalidUTF8Line: Int?

  /// Creates a parser.
  ///
  /// - Parameters:
  ///   - input: The bytes to parse.
  ///   - delimiter: The field delimiter (not `"`, CR or LF).
  ///   - limits: `maxCellBytes` and `maxColumns` apply.
  ///   - singleByteText: Whether the bytes are Windows-1252 (one byte, one
  ///     character); otherwise they are UTF-8 (from a UTF-8 or UTF-16 file).
  ///   - file: The file name for errors.
  init(
    input: DecodedInput, delimiter: UInt8, limits: IngestLimits, singleByteText: Bool,
    file: String
  ) {
    self.input = input
    self.delimiter = delimiter
    self.file = file
    // Counted on the bytes as parsed: the file's (UTF-8, Windows-1252) or UTF-8 after transcoding.
    self.maxFieldBytes = max(0, limits.maxCellBytes)
    self.maxColumns = max(1, limits.maxColumns)
    self.singleByteText = singleByteText
  }

  /// Parses the next record as cells; its first line is then `recordLine`.
  ///
  /// - Returns: The record's cells (none for an empty line), or `nil` at the end of the input.
  /// - Throws: As `nextFields()`.
  mutating func nextRecord() throws -> [Cell]? {
    guard try nextFields() else { return nil }
    return fields.cells()
  }

  /// Parses the next record into `fields`; its first line is then `recordLine`.
  ///
  /// A field is read in place from the chunk when it lies inside one (most
  /// do); only a field that crosses a chunk boundary or holds doubled quotes
  /// is copied to `scratch` first. Bytes are ORed together as they are
  /// scanned, so an ASCII field skips UTF-8 validation.
  ///
  /// - Returns: `false` at the end of the input; else `fields` holds the
  ///   record's fields (none for an empty line).
  /// - Throws: `LeadsheetError` naming the line: unbalanced quote (`.malformed`),
  ///   NUL byte (`.unsupported`), field or record over the limits (`.refused`),
  ///   or a read error (`.unreadable`).
  mutating func nextFields() throws -> Bool {
    let d = delimiter
    let quote = CSVParser.quote
    let lf = CSVParser.lf
    let cr = CSVParser.cr
    let delimiterSplat = UInt64(d) &* CSVParser.lowBits
    fields.removeAll()
    var state = State.recordStart
    var fieldLine = line
    // The field's pending bytes in the chunk, not yet in `scratch`.
    var runStart = 0
    var runEnd = 0
    // Every field byte ORed: below 0x80 means ASCII.
    var high: UInt8 = 0
    if !scratch.isEmpty { scratch.removeAll(keepingCapacity: true) }
    while true {
      if position == chunk.count {
        // Keep the pending run before the chunk goes away.
        switch state {
        case .unquoted, .quoted:
          try flush(runStart, chunk.count, fieldLine: fieldLine, quoted: state == .quoted)
        case .quoteInQuoted:
          try flush(runStart, runEnd, fieldLine: fieldLine, quoted: true)
        case .recordStart, .fieldStart:
          break
        }
        runStart = 0
        runEnd = 0
        guard try refill() else {
          return try finish(state, fieldLine: fieldLine, high: high)
        }
      }
      let p = chunk.baseAddress!
      let n = chunk.count
      var i = position
      switch state {
      case .recordStart:
        // The LF of a CRLF that ended the previous record.
        if p[i] == lf && (i > 0 ? p[i - 1] == cr : lastCR) {
          position = i + 1
          continue
        }
        recordLine = line
        state = .fieldStart

      case .fieldStart:
        fieldLine = line
        high = 0
        if p[i] == quote {
          i += 1
          state = .quoted
        } else {
          state = .unquoted
        }
        position = i
        runStart = i

      case .unquoted:
        scan: while true {
          var word: UInt64 = 0
          while i + 8 <= n {
            let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            if CSVParser.mayHoldSpecial(x, delimiterSplat) { break }
            word |= x
            i += 8
          }
          if word & CSVParser.highBits != 0 { high |= 0x80 }
          let stop = min(i + 8, n)
          while i < stop {
            let b = p[i]
            if b == d || (b <= cr && (b == lf || b == cr || b == 0)) { break scan }
            high |= b
            i += 1
          }
          if i == n { break }
        }
        position = i
        if i == n { continue }
        let b = p[i]
        position = i + 1
        if b == d {
          try endField(p, runStart, i, fieldLine: fieldLine, quoted: false, high: high)
          if i + 1 < n, p[i + 1] != quote {
            // The next field starts unquoted: `fieldStart`'s work, without the detour.
            fieldLine = line
            high = 0
            runStart = i + 1
          } else {
            state = .fieldStart
          }
        } else if b == 0 {
          throw nulError(line: line)
        } else {
          if !(fields.count == 0 && scratch.isEmpty && runStart == i) {
            try endField(p, runStart, i, fieldLine: fieldLine, quoted: false, high: high)
          }
          line += 1
          return true
        }

      case .quoted:
        scan: while true {
          var word: UInt64 = 0
          while i + 8 <= n {
            let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            if CSVParser.mayHoldSpecial(x, CSVParser.quoteSplat) { break }
            word |= x
            i += 8
          }
          if word & CSVParser.highBits != 0 { high |= 0x80 }
          let stop = min(i + 8, n)
          while i < stop {
            let b = p[i]
            if b == quote || (b <= cr && (b == lf || b == cr || b == 0)) {
              if b == quote || b == 0 { break scan }
              // A line break inside the field: CRLF counts once.
              if b == cr || !(i > 0 ? p[i - 1] == cr : lastCR) { line += 1 }
            }
            high |= b
            i += 1
          }
          if i == n { break }
        }
        position = i
        if i == n { continue }
        position = i + 1
        if p[i] == 0 { throw nulError(line: line) }
        runEnd = i
        state = .quoteInQuoted

      case .quoteInQuoted:
        let b = p[i]
        if b == quote {
          // A doubled quote: one literal quote, then the field goes on.
          try flush(runStart, runEnd, fieldLine: fieldLine, quoted: true)
          scratch.append(quote)
          position = i + 1
          runStart = i + 1
          state = .quoted
        } else if b == d {
          position = i + 1
          try endField(p, runStart, runEnd, fieldLine: fieldLine, quoted: true, high: high)
          state = .fieldStart
        } else if b == lf || b == cr {
          position = i + 1
          try endField(p, runStart, runEnd, fieldLine: fieldLine, quoted: true, high: high)
          line += 1
          return true
        } else if b == 0 {
          throw nulError(line: line)
        } else {
          // Text after the closing quote: kept, and the field goes on unquoted.
          try flush(runStart, runEnd, fieldLine: fieldLine, quoted: true)
          runStart = i
          state = .unquoted
        }
      }
    }
  }

  /// Copies the chunk's bytes `start..<end` to `scratch`, refusing a field past the byte bound.
  @inline(__always)
  private mutating func flush(_ start: Int, _ end: Int, fieldLine: Int, quoted: Bool) throws {
    guard end > start else { return }
    scratch.append(
      contentsOf: UnsafeBufferPointer(start: chunk.baseAddress! + start, count: end - start))
    if scratch.count > maxFieldBytes {
      throw tooLongError(fieldLine: fieldLine, quoted: quoted)
    }
  }

  /// Closes a field whose last bytes are the chunk's `start..<end`: checks, decodes, appends.
  @inline(__always)
  private mutating func endField(
    _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, fieldLine: Int, quoted: Bool, high: UInt8
  ) throws {
    if fields.count >= maxColumns {
      throw LeadsheetError(
        .refused, file: file, location: .line(recordLine),
        "more than \(maxColumns.groupedDigits()) fields on one line, the limit",
        hint: "check the delimiter, or pass --delimiter")
    }
    if scratch.isEmpty {
      try decode(
        UnsafeBufferPointer(start: p + start, count: end - start), fieldLine, quoted, high)
    } else {
      if end > start {
        scratch.append(contentsOf: UnsafeBufferPointer(start: p + start, count: end - start))
      }
      let field = scratch
      try field.withUnsafeBufferPointer { try decode($0, fieldLine, quoted, high) }
      scratch.removeAll(keepingCapacity: true)
    }
    fields.endField()
  }

  /// Decodes one field into `fields` after the exact length check: ASCII as
  /// is, UTF-8 if valid, else Windows-1252 (counted when the file is UTF-8).
  @inline(__always)
  private mutating func decode(
    _ field: UnsafeBufferPointer<UInt8>, _ fieldLine: Int, _ quoted: Bool, _ high: UInt8
  ) throws {
    if field.count > maxFieldBytes { throw tooLongError(fieldLine: fieldLine, quoted: quoted) }
    if field.isEmpty { return }
    if high < 0x80 { return fields.append(field) }
    if singleByteText { return fields.append(Windows1252.decode(field)) }
    // Not `String(validating:)`: its generic path looks up type metadata per call
    // (a third of the parse time); this validator is specialized and ASCII-fast.
    if EncodingDetector.isValidUTF8(field, allowTruncatedEnd: false) {
      return fields.append(field)
    }
    invalidUTF8Fields += 1
    if firstInvalidUTF8Line == nil { firstInvalidUTF8Line = fieldLine }
    fields.append(Windows1252.decode(field))
  }

  private static let lowBits: UInt64 = 0x0101_0101_0101_0101
  private static let highBits: UInt64 = 0x8080_8080_8080_8080
  private static let quoteSplat: UInt64 = 0x2222_2222_2222_2222

  /// Whether eight bytes may hold `splat`'s byte or a byte below 0x0E (CR, LF, NUL…).
  ///
  /// The SWAR tests "has a zero byte" (on `x ^ splat`) and "has a byte less
  /// than 14" never miss; a rare false positive only sends the word to the
  /// byte-by-byte loop, which decides exactly.
  @inline(__always)
  static func mayHoldSpecial(_ x: UInt64, _ splat: UInt64) -> Bool {
    let t = x ^ splat
    let equal = (t &- lowBits) & ~t
    let below = (x &- 0x0E0E_0E0E_0E0E_0E0E) & ~x
    return (equal | below) & highBits != 0
  }

  /// Fetches the next chunk; `false` at the end of the input.
  private mutating func refill() throws -> Bool {
    while !inputDone {
      if let last = chunk.last { lastCR = last == CSVParser.cr }
      guard let next = try input.next() else {
        inputDone = true
        chunk = UnsafeBufferPointer(start: nil, count: 0)
        position = 0
        return false
      }
      chunk = next
      position = 0
      if next.count > 0 { return true }
    }
    return false
  }

  /// Ends the last record at the end of the input (`false` if there is none).
  private mutating func finish(_ state: State, fieldLine: Int, high: UInt8) throws -> Bool {
    let none = UnsafePointer<UInt8>(bitPattern: 1)!
    switch state {
    case .recordStart:
      return false
    case .quoted:
      throw LeadsheetError(
        .malformed, file: file, location: .line(fieldLine),
        "unbalanced quote: the quoted field opened here never closes",
        hint: "close the quote, or double it (\"\") if it is part of the text")
    case .fieldStart, .unquoted, .quoteInQuoted:
      // The pending run was flushed to `scratch` before the refill.
      try endField(none, 0, 0, fieldLine: fieldLine, quoted: state == .quoteInQuoted, high: high)
      return true
    }
  }

  private func tooLongError(fieldLine: Int, quoted: Bool) -> LeadsheetError {
    LeadsheetError(
      .refused, file: file, location: .line(fieldLine),
      "field longer than \(maxFieldBytes.groupedDigits()) bytes, the limit",
      hint: quoted
        ? "a quote opened here may never close; check for a stray quote"
        : "check that this is a lead list, or raise the limit with --max-cell-bytes")
  }

  private func nulError(line: Int) -> LeadsheetError {
    CSVParser.nulError(file: file, line: line)
  }

  /// The error for a NUL byte: binary data, or UTF-16 read as something else.
  static func nulError(file: String, line: Int) -> LeadsheetError {
    LeadsheetError(
      .unsupported, file: file, location: .line(line), "contains NUL bytes: not a text file",
      hint: "export the list as CSV or XLSX; UTF-16 text without a byte-order mark needs --encoding"
    )
  }
}

extension Int {
  /// The number with thousands separators, `32,767`, independent of the locale.
  fileprivate func groupedDigits() -> String {
    let digits = String(self.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return self < 0 ? "-" + out : out
  }
}
