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
/// NUL bytes, fields over the length limit and records over the column limit
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
  private let maxCellLength: Int
  private let maxFieldBytes: Int
  private let maxColumns: Int
  private let singleByteText: Bool
  private var chunk = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
  private var position = 0
  private var line = 1
  private var lastCR = false
  private var inputDone = false

  /// The unescaped bytes of the current record's fields, back to back.
  private(set) var bytes: [UInt8] = []
  /// Where each field of the current record ends in `bytes`.
  private(set) var ends: [Int] = []
  /// The 1-based line where the current record starts.
  private(set) var recordLine = 0

  /// Creates a parser.
  ///
  /// - Parameters:
  ///   - input: The bytes to parse.
  ///   - delimiter: The field delimiter (not `"`, CR or LF).
  ///   - limits: `maxCellLength` and `maxColumns` apply.
  ///   - singleByteText: Whether one byte is one character (Windows-1252), for
  ///     the exact length check; otherwise bytes are UTF-8.
  ///   - file: The file name for errors.
  init(
    input: DecodedInput, delimiter: UInt8, limits: IngestLimits, singleByteText: Bool,
    file: String
  ) {
    self.input = input
    self.delimiter = delimiter
    self.file = file
    self.maxCellLength = max(0, limits.maxCellLength)
    // A UTF-16 code unit takes at most 3 UTF-8 bytes: past this, refuse without looking.
    let (bound, overflow) = self.maxCellLength.multipliedReportingOverflow(by: 3)
    self.maxFieldBytes = overflow ? Int.max : bound
    self.maxColumns = max(1, limits.maxColumns)
    self.singleByteText = singleByteText
  }

  /// Parses the next record into `bytes`, `ends` and `recordLine`.
  ///
  /// - Returns: `false` at the end of the input.
  /// - Throws: `LeadsheetError` naming the line: unbalanced quote (`.malformed`),
  ///   NUL byte (`.unsupported`), field or record over the limits (`.refused`),
  ///   or a read error (`.unreadable`).
  mutating func nextRecord() throws -> Bool {
    bytes.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    let d = delimiter
    let quote = CSVParser.quote
    let lf = CSVParser.lf
    let cr = CSVParser.cr
    var state = State.recordStart
    var fieldLine = line
    while true {
      if position == chunk.count {
        guard try refill() else { return try finish(state, fieldLine: fieldLine) }
      }
      let p = chunk.baseAddress!
      let n = chunk.count
      var i = position
      switch state {
      case .recordStart:
        if p[i] == lf && lastCR {
          lastCR = false
          position = i + 1
          continue
        }
        lastCR = false
        recordLine = line
        state = .fieldStart

      case .fieldStart:
        fieldLine = line
        if p[i] == quote {
          position = i + 1
          state = .quoted
        } else {
          state = .unquoted
        }

      case .unquoted:
        let start = i
        while i < n {
          let b = p[i]
          if b == d || (b <= cr && (b == lf || b == cr || b == 0)) { break }
          i += 1
        }
        if i > start { try append(p + start, count: i - start, fieldLine: fieldLine, quoted: false) }
        position = i
        if i == n { continue }
        let b = p[i]
        position = i + 1
        if b == d {
          try endField(fieldLine: fieldLine, quoted: false)
          state = .fieldStart
        } else if b == 0 {
          throw nulError(line: line)
        } else {
          if !(ends.isEmpty && bytes.isEmpty) { try endField(fieldLine: fieldLine, quoted: false) }
          line += 1
          lastCR = b == cr
          return true
        }

      case .quoted:
        let start = i
        while i < n {
          let b = p[i]
          if b == quote || (b <= cr && (b == lf || b == cr || b == 0)) { break }
          i += 1
        }
        if i > start {
          try append(p + start, count: i - start, fieldLine: fieldLine, quoted: true)
          lastCR = false
        }
        position = i
        if i == n { continue }
        let b = p[i]
        position = i + 1
        if b == quote {
          state = .quoteInQuoted
          lastCR = false
        } else if b == 0 {
          throw nulError(line: line)
        } else {
          var byte = b
          try append(&byte, count: 1, fieldLine: fieldLine, quoted: true)
          if b == cr || !lastCR { line += 1 }
          lastCR = b == cr
        }

      case .quoteInQuoted:
        let b = p[i]
        if b == quote {
          var byte = b
          try append(&byte, count: 1, fieldLine: fieldLine, quoted: true)
          position = i + 1
          state = .quoted
        } else if b == d {
          position = i + 1
          try endField(fieldLine: fieldLine, quoted: true)
          state = .fieldStart
        } else if b == lf || b == cr {
          position = i + 1
          try endField(fieldLine: fieldLine, quoted: true)
          line += 1
          lastCR = b == cr
          return true
        } else if b == 0 {
          throw nulError(line: line)
        } else {
          state = .unquoted
        }
      }
    }
  }

  /// Fetches the next chunk; `false` at the end of the input.
  private mutating func refill() throws -> Bool {
    while !inputDone {
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

  /// Ends the last record at the end of the input.
  private mutating func finish(_ state: State, fieldLine: Int) throws -> Bool {
    switch state {
    case .recordStart:
      return false
    case .quoted:
      throw LeadsheetError(
        .malformed, file: file, location: .line(fieldLine),
        "unbalanced quote: the quoted field opened here never closes",
        hint: "close the quote, or double it (\"\") if it is part of the text")
    case .fieldStart, .unquoted:
      try endField(fieldLine: fieldLine, quoted: false)
      return true
    case .quoteInQuoted:
      try endField(fieldLine: fieldLine, quoted: true)
      return true
    }
  }

  /// Appends field bytes, refusing a field that grows past the byte bound.
  @inline(__always)
  private mutating func append(
    _ p: UnsafePointer<UInt8>, count: Int, fieldLine: Int, quoted: Bool
  ) throws {
    bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: count))
    if bytes.count - (ends.last ?? 0) > maxFieldBytes {
      throw tooLongError(fieldLine: fieldLine, quoted: quoted)
    }
  }

  /// Closes the current field: exact length check, then the column limit.
  private mutating func endField(fieldLine: Int, quoted: Bool) throws {
    let start = ends.last ?? 0
    let length = bytes.count - start
    if length > maxCellLength && characterCount(from: start) > maxCellLength {
      throw tooLongError(fieldLine: fieldLine, quoted: quoted)
    }
    ends.append(bytes.count)
    if ends.count > maxColumns {
      throw LeadsheetError(
        .refused, file: file, location: .line(recordLine),
        "more than \(maxColumns.groupedDigits()) fields on one line (the limit)",
        hint: "check the delimiter, or pass --delimiter")
    }
  }

  /// The length in UTF-16 code units (as Excel counts) of the field starting at `start`.
  private func characterCount(from start: Int) -> Int {
    if singleByteText { return bytes.count - start }
    var units = 0
    for i in start..<bytes.count {
      let b = bytes[i]
      if b & 0xC0 != 0x80 { units += 1 }
      if b >= 0xF0 { units += 1 }
    }
    return units
  }

  private func tooLongError(fieldLine: Int, quoted: Bool) -> LeadsheetError {
    LeadsheetError(
      .refused, file: file, location: .line(fieldLine),
      "field longer than \(maxCellLength.groupedDigits()) characters (the limit)",
      hint: quoted
        ? "a quote opened here may never close; check for a stray quote"
        : "check that this is a lead list")
  }

  private func nulError(line: Int) -> LeadsheetError {
    CSVParser.nulError(file: file, line: line)
  }

  /// The error for a NUL byte: binary data, or UTF-16 read as something else.
  static func nulError(file: String, line: Int) -> LeadsheetError {
    LeadsheetError(
      .unsupported, file: file, location: .line(line), "contains NUL bytes: not a text file",
      hint: "export the list as CSV or XLSX; UTF-16 text without a byte-order mark needs --encoding")
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
