import LeadsheetCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The CSV parser's input: chunks of ASCII-compatible bytes, in bounded memory.
///
/// It first replays the sample the reader already took for detection (without
/// its byte-order mark), then reads the source, one `chunkSize` piece at a
/// time. UTF-8 and Windows-1252 bytes pass through untouched (fields are
/// decoded later, one by one); UTF-16 is transcoded to UTF-8 here, and so is
/// any encoding read through iconv (UTF-32, Shift_JIS, GB18030, Big5…), so the
/// parser only ever sees single-byte delimiters, quotes and line breaks.
///
/// Bytes that are not valid in an iconv encoding stop the reading with an
/// error naming the file and the line (counted in the text converted so far);
/// a file that ends in the middle of a character too.
final class DecodedInput {
  private let source: any ByteSource
  private let file: String
  private let encoding: TextEncoding
  private let chunkSize: Int
  private var sample: UnsafeMutableBufferPointer<UInt8>?
  private var sampleOffset = 0
  private var sourceDone: Bool
  private let raw: UnsafeMutableRawBufferPointer
  private var transcoder: UTF16Transcoder?
  private let transcoded: UnsafeMutablePointer<UInt8>?
  private var finished = false

  // The iconv path: `raw[pendingStart..<pendingEnd]` is input not yet converted
  // (a character cut by the end of a read, or what did not fit the output).
  private let iconv: IconvDecoder?
  private let transcodedCapacity: Int
  private var pendingStart = 0
  private var pendingEnd = 0
  private var lastStop = IconvDecoder.Stop.done
  private var lines = LineCounter()

  /// Creates the input.
  ///
  /// - Parameters:
  ///   - source: Where the bytes after `sample` come from.
  ///   - sample: The bytes already read, byte-order mark excluded.
  ///   - sourceDone: Whether `source` is already exhausted.
  ///   - encoding: The detected or chosen encoding.
  ///   - chunkSize: The largest piece read or replayed at once.
  ///   - file: The file name for errors.
  /// - Throws: `LeadsheetError(.usage)` when iconv cannot open `encoding` (checked before).
  init(
    source: any ByteSource, sample: UnsafeBufferPointer<UInt8>, sourceDone: Bool,
    encoding: TextEncoding, chunkSize: Int, file: String
  ) throws {
    self.source = source
    self.file = file
    self.encoding = encoding
    self.chunkSize = max(16, chunkSize)
    self.sourceDone = sourceDone
    if sample.count > 0 {
      let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: sample.count)
      _ = copy.initialize(from: sample)
      self.sample = copy
    }
    self.raw = .allocate(byteCount: self.chunkSize, alignment: 8)
    switch encoding.decoding {
    case .utf16(let bigEndian):
      transcoder = UTF16Transcoder(bigEndian: bigEndian)
      transcodedCapacity = max(8, UTF16Transcoder.outputCapacity(forInput: self.chunkSize))
      transcoded = .allocate(capacity: transcodedCapacity)
      iconv = nil
    case .iconv(let name):
      transcoder = nil
      // Most encodings take at most 3 UTF-8 bytes per input byte; a fuller output is resumed.
      transcodedCapacity = 3 * self.chunkSize + 16
      transcoded = .allocate(capacity: transcodedCapacity)
      guard let decoder = IconvDecoder(from: name) else {
        raw.deallocate()
        transcoded?.deallocate()
        self.sample?.deallocate()
        throw LeadsheetError(
          .usage, file: file, "the encoding '\(encoding)' is not available",
          hint: TextEncoding.namesHint)
      }
      iconv = decoder
    case .utf8, .windows1252:
      transcoder = nil
      transcoded = nil
      transcodedCapacity = 0
      iconv = nil
    }
  }

  deinit {
    sample?.deallocate()
    raw.deallocate()
    transcoded?.deallocate()
  }

  /// How many invalid UTF-16 code units were replaced by U+FFFD so far.
  var replacements: Int { transcoder?.replacements ?? 0 }

  /// Reads the next raw bytes (the sample first, then the source) into `buffer`; 0 at the end.
  private func readRaw(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    if let sample, sampleOffset < sample.count {
      let count = min(buffer.count, sample.count - sampleOffset)
      buffer.baseAddress!.copyMemory(from: sample.baseAddress! + sampleOffset, byteCount: count)
      sampleOffset += count
      return count
    }
    if let sample {
      sample.deallocate()
      self.sample = nil
    }
    if sourceDone { return 0 }
    let count = try source.read(into: buffer)
    if count == 0 { sourceDone = true }
    return count
  }

  /// The next chunk, valid until the next call, or `nil` at the end of the input.
  ///
  /// - Throws: `LeadsheetError(.unreadable)` from the source; `.malformed`
  ///   for bytes not valid in an iconv encoding.
  func next() throws -> UnsafeBufferPointer<UInt8>? {
    if let iconv { return try nextConverted(iconv) }
    while true {
      let piece: UnsafeBufferPointer<UInt8>
      if let sample, sampleOffset < sample.count {
        let count = min(chunkSize, sample.count - sampleOffset)
        piece = UnsafeBufferPointer(start: sample.baseAddress! + sampleOffset, count: count)
        sampleOffset += count
      } else if !sourceDone {
        if let sample {
          sample.deallocate()
          self.sample = nil
        }
        let count = try source.read(into: raw)
        if count == 0 {
          sourceDone = true
          continue
        }
        piece = UnsafeBufferPointer(
          start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count)
      } else {
        guard !finished else { return nil }
        finished = true
        if transcoder != nil, let transcoded {
          let count = transcoder!.finish(into: transcoded)
          if count > 0 { return UnsafeBufferPointer(start: transcoded, count: count) }
        }
        return nil
      }
      guard transcoder != nil, let transcoded else { return piece }
      let count = transcoder!.transcode(piece, into: transcoded)
      if count > 0 { return UnsafeBufferPointer(start: transcoded, count: count) }
    }
  }

  /// The next chunk converted by iconv.
  private func nextConverted(_ iconv: IconvDecoder) throws -> UnsafeBufferPointer<UInt8>? {
    let base = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
    let out = transcoded!
    while !finished {
      if pendingStart == pendingEnd || lastStop == .incomplete {
        // Move a cut character's bytes to the front and read more after them.
        let left = pendingEnd - pendingStart
        if left > 0 && pendingStart > 0 { memmove(base, base + pendingStart, left) }
        pendingStart = 0
        pendingEnd = left
        let n = try readRaw(into: UnsafeMutableRawBufferPointer(rebasing: raw[left...]))
        pendingEnd += n
        if n == 0 && left == 0 {
          finished = true
          let count = iconv.finish(into: out, capacity: transcodedCapacity)
          return count > 0 ? UnsafeBufferPointer(start: out, count: count) : nil
        }
        if n == 0 {
          // The file ends inside a character.
          throw invalidBytes(base + pendingStart, count: left, atEnd: true)
        }
      }
      let step = iconv.convert(
        UnsafeBufferPointer(start: base + pendingStart, count: pendingEnd - pendingStart),
        into: out, capacity: transcodedCapacity)
      pendingStart += step.consumed
      lastStop = step.stop
      let chunk = UnsafeBufferPointer(start: out, count: step.written)
      lines.count(chunk)
      if step.stop == .invalid {
        throw invalidBytes(
          base + pendingStart, count: min(4, pendingEnd - pendingStart), atEnd: false)
      }
      if step.stop == .incomplete && pendingStart == 0 && pendingEnd == chunkSize {
        // No character is a whole chunk long: a broken input.
        throw invalidBytes(base, count: 4, atEnd: false)
      }
      if step.written > 0 { return chunk }
    }
    return nil
  }

  /// The error for bytes that are not text in the encoding.
  private func invalidBytes(_ bytes: UnsafePointer<UInt8>, count: Int, atEnd: Bool)
    -> LeadsheetError
  {
    let hex = (0..<count).map { "0x" + String(bytes[$0], radix: 16, uppercase: true) }
      .joined(separator: " ")
    return LeadsheetError(
      .malformed, file: file, location: .line(lines.line),
      atEnd
        ? "the file ends in the middle of a \(encoding) character (\(hex))"
        : "bytes \(hex) are not valid \(encoding) text",
      hint: "check the file's encoding: pass --encoding with the right one "
        + "(`leadsheet inspect` shows the one detected), or re-save the file as UTF-8")
  }
}

/// Counts physical lines as `CSVParser` does (CR, LF and CRLF each end one).
struct LineCounter {
  /// The 1-based line reached.
  private(set) var line = 1
  private var lastCR = false

  /// Counts the line breaks of `text`, a piece following the previous ones.
  mutating func count(_ text: UnsafeBufferPointer<UInt8>) {
    var previousCR = lastCR
    for b in text {
      if b == 0x0D || (b == 0x0A && !previousCR) { line += 1 }
      previousCR = b == 0x0D
    }
    if !text.isEmpty { lastCR = previousCR }
  }
}
