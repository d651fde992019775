import LeadsheetCore

/// Reads a CSV file record by record, in memory independent of the file's size.
///
/// The file is read in 1 MiB chunks. The first chunk decides the encoding
/// (byte-order mark, else UTF-16/UTF-32 by pattern, else UTF-8 if valid, else
/// Windows-1252, checked for plausibility; see `EncodingDetector` and
/// `EncodingPlausibility`) and the delimiter (`,` `;` tab `|`, see
/// `DelimiterSniffer`), unless `IngestOptions` names them. Records are split by
/// `CSVParser` (RFC 4180, lenient like Python's `csv`) and returned as they
/// are: header included, widths ragged, empty lines as rows without cells.
///
///     let reader = try CSVReader(path: "leads.csv", options: IngestOptions())
///     while let row = try reader.next() { print(row.number, row.cells.map(\.text)) }
///
/// A field of a UTF-8 file that is not valid UTF-8 is read as Windows-1252
/// and counted in `warnings` (kind `invalid-utf8`), never dropped.
public final class CSVReader: RowReader {
  /// What was detected: encoding, byte-order mark, delimiter and how it was chosen.
  public let info: SourceInfo
  // Only ever used by one thread at a time (the reader is not shared): no dynamic
  // exclusivity check per record.
  @exclusivity(unchecked) private var parser: CSVParser
  private let input: DecodedInput
  /// The detected (or given) encoding.
  let encoding: TextEncoding
  /// The length of the byte-order mark at the start of the file.
  let bomLength: Int
  /// The field delimiter.
  let delimiter: UInt8
  /// Set when the file was read as Windows-1252 but does not look like it.
  let encodingFinding: EncodingPlausibility.Finding?

  /// Counted problems met so far: `invalid-utf8` fields read as Windows-1252,
  /// `invalid-utf16` code units replaced by U+FFFD.
  public var warnings: [IngestWarning] {
    var result: [IngestWarning] = []
    if let w = encodingWarning { result.append(w) }
    if let w = CSVReader.invalidUTF8Warning(
      count: parser.invalidUTF8Fields, firstLine: parser.firstInvalidUTF8Line)
    {
      result.append(w)
    }
    let replaced = input.replacements
    if replaced > 0 {
      result.append(
        IngestWarning(
          kind: "invalid-utf16", count: replaced, firstLocation: nil,
          message: replaced == 1
            ? "1 invalid UTF-16 code unit was replaced by U+FFFD"
            : "\(replaced) invalid UTF-16 code units were replaced by U+FFFD"))
    }
    return result
  }

  /// Opens `path` and detects its encoding and delimiter from its first 1 MiB.
  ///
  /// - Parameters:
  ///   - path: The CSV file, as the user named it (errors repeat it).
  ///   - options: `encoding` and `delimiter` override detection; `limits` apply.
  /// - Throws: `LeadsheetError`: `.unreadable` (missing, folder, permission),
  ///   `.usage` (a delimiter that cannot be one), `.unsupported` (NUL bytes).
  public convenience init(path: String, options: IngestOptions) throws {
    try self.init(source: FileByteSource(path: path), file: path, options: options)
  }

  /// Reads from any byte source; tests use small chunks to cut the input anywhere.
  ///
  /// - Parameters:
  ///   - source: The raw bytes.
  ///   - file: The file name for info and errors.
  ///   - options: Overrides and limits.
  ///   - chunkSize: The largest piece handed to the parser at once.
  ///   - sampleSize: How many bytes decide the encoding and the delimiter.
  init(
    source: any ByteSource, file: String, options: IngestOptions, chunkSize: Int = 1 << 20,
    sampleSize: Int = 1 << 20
  ) throws {
    if let d = options.delimiter {
      guard d != UInt8(ascii: "\""), d != 0x0A, d != 0x0D, d != 0, d < 0x80 else {
        throw LeadsheetError(
          .usage, file: file, "the delimiter cannot be a quote, a line break or a non-ASCII byte",
          hint: "pass --delimiter with one of , ; | or tab")
      }
    }
    // The sample: read until full or the end of the input, whatever the source's pieces.
    let sampleCapacity = max(4, sampleSize)
    let sample = UnsafeMutableRawBufferPointer.allocate(byteCount: sampleCapacity, alignment: 8)
    defer { sample.deallocate() }
    var sampled = 0
    var sourceDone = false
    while sampled < sampleCapacity {
      let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: sample[sampled...]))
      if n == 0 {
        sourceDone = true
        break
      }
      sampled += n
    }
    let bytes = UnsafeBufferPointer(
      start: sample.baseAddress!.assumingMemoryBound(to: UInt8.self), count: sampled)

    if let kind = CSVReader.foreignSignature(bytes) {
      throw LeadsheetError(
        .malformed, file: file, "starts with the signature of \(kind) but is not a readable one",
        hint: "if it is a damaged workbook, open it in Excel or LibreOffice and save it again; "
          + "a CSV file cannot start with these bytes")
    }
    let detected = EncodingDetector.detect(
      bytes, isComplete: sourceDone, override: options.encoding)
    if detected.encoding == .windows1252 && options.encoding == nil {
      encodingFinding = EncodingPlausibility.check(bytes, isComplete: sourceDone)
    } else {
      encodingFinding = nil
    }
    let body = UnsafeBufferPointer(rebasing: bytes[min(detected.bomLength, bytes.count)...])

    // Sniff on the sample as the parser will see it (UTF-16 and iconv encodings as UTF-8).
    let delimiter: UInt8
    let delimiterSource: String
    let text: [UInt8]
    switch detected.encoding.decoding {
    case .utf16(let bigEndian):
      var transcoder = UTF16Transcoder(bigEndian: bigEndian)
      let capacity = UTF16Transcoder.outputCapacity(forInput: body.count)
      text = [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
        count = transcoder.transcode(body, into: out.baseAddress!)
      }
    case .iconv(let name):
      guard let decoder = IconvDecoder(from: name) else {
        throw LeadsheetError(
          .usage, file: file, "the encoding '\(detected.encoding)' is not available",
          hint: TextEncoding.namesHint)
      }
      // Up to the first invalid byte, if any: the parser reports it with its line.
      let capacity = 3 * body.count + 16
      text = [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
        count = decoder.convert(body, into: out.baseAddress!, capacity: capacity).written
      }
    case .utf8, .windows1252:
      text = Array(body)
    }
    let textIsComplete = sourceDone
    try text.withUnsafeBufferPointer { text in
      if let nul = text.firstIndex(of: 0) {
        var line = 1
        var previous: UInt8 = 0
        for b in text[..<nul] {
          if b == 0x0D || (b == 0x0A && previous != 0x0D) { line += 1 }
          previous = b
        }
        throw CSVParser.nulError(file: file, line: line)
      }
    }
    if let d = options.delimiter {
      delimiter = d
      delimiterSource = "option"
    } else {
      delimiter = text.withUnsafeBufferPointer {
        DelimiterSniffer.sniff($0, isComplete: textIsComplete)
      }
      delimiterSource = "sniffed"
    }

    self.info = SourceInfo(
      format: .csv, encoding: detected.encoding.rawValue, hasBOM: detected.hasBOM,
      delimiter: String(UnicodeScalar(delimiter)), delimiterSource: delimiterSource)
    self.encoding = detected.encoding
    self.bomLength = detected.bomLength
    self.delimiter = delimiter
    self.input = try DecodedInput(
      source: source, sample: body, sourceDone: sourceDone, encoding: detected.encoding,
      chunkSize: chunkSize, file: file)
    self.parser = CSVParser(
      input: input, delimiter: delimiter, limits: options.limits,
      singleByteText: detected.encoding == .windows1252, file: file)
  }

  /// Reads `source`, a later piece of the file `like` reads, with what `like`
  /// detected (no detection: the piece starts at a line, not at the file's start).
  init(
    source: any ByteSource, like: CSVReader, options: IngestOptions, chunkSize: Int = 1 << 20
  ) throws {
    self.info = like.info
    self.encoding = like.encoding
    self.bomLength = like.bomLength
    self.delimiter = like.delimiter
    self.encodingFinding = nil
    self.input = try DecodedInput(
      source: source, sample: UnsafeBufferPointer(start: nil, count: 0), sourceDone: false,
      encoding: like.encoding, chunkSize: chunkSize, file: like.parser.file)
    self.parser = CSVParser(
      input: input, delimiter: like.delimiter, limits: options.limits,
      singleByteText: like.encoding == .windows1252, file: like.parser.file)
  }

  /// The next record, or `nil` at the end of the file.
  ///
  /// - Throws: `LeadsheetError` naming the file and line: an unbalanced quote,
  ///   NUL bytes, a field or record over `options.limits`, a read error.
  public func next() throws -> SourceRow? {
    guard let cells = try parser.nextRecord() else { return nil }
    return SourceRow(number: parser.recordLine, cells: cells)
  }

  /// The next record as field bytes, valid until the next read; `nil` at the end.
  ///
  /// - Throws: As `next()`.
  public func nextRaw() throws -> RawRow? {
    guard try parser.nextFields() else { return nil }
    return parser.fields.row(number: parser.recordLine)
  }

  /// Line breaks read so far (the last line number reached, minus one).
  var lineBreaksRead: Int { parser.line - 1 }

  /// Fields that were not valid UTF-8, and the line of the first, for merging parts.
  var invalidUTF8: (count: Int, firstLine: Int?) {
    (parser.invalidUTF8Fields, parser.firstInvalidUTF8Line)
  }

  /// The warning for a file read as Windows-1252 that does not look like it, if any.
  var encodingWarning: IngestWarning? {
    guard let f = encodingFinding else { return nil }
    var message = "the text does not read as Windows-1252 (\"\(f.example)\")"
    if let likely = f.likely {
      let label = EncodingPlausibility.label(of: likely).map { " (\($0))" } ?? ""
      message += "; it looks like \(likely)\(label): pass --encoding \(likely)"
    } else {
      message +=
        "; if names read wrong, pass --encoding with the file's encoding"
        + " (such as cp932, gb18030, big5, windows-1253 or macintosh)"
    }
    return IngestWarning(
      kind: "encoding-guess", count: 1, firstLocation: String(f.line), message: message)
  }

  /// The kind of file `bytes` starts with when it is a ZIP or OLE2 container, not text.
  ///
  /// `SourceOpener` sends such files to the XLSX reader (or refuses them);
  /// the CSV reader refuses them too, so that reading a file in parts
  /// (`CSVPartition`) decides as reading it whole does.
  static func foreignSignature(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06])
    {
      return "a ZIP file (such as an XLSX workbook)"
    }
    if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
      return "an OLE2 compound file (a legacy .xls or an encrypted workbook)"
    }
    return nil
  }

  /// The warning for fields read as Windows-1252 in a UTF-8 file, if any.
  static func invalidUTF8Warning(count n: Int, firstLine: Int?) -> IngestWarning? {
    guard n > 0 else { return nil }
    return IngestWarning(
      kind: "invalid-utf8", count: n, firstLocation: firstLine.map(String.init),
      message: n == 1
        ? "1 field was not valid UTF-8 and was read as Windows-1252"
        : "\(n) fields were not valid UTF-8 and were read as Windows-1252")
  }
}

extension CSVReader: RawRowReader {}
