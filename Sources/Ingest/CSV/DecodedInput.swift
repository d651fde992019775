/// The CSV parser's input: chunks of ASCII-compatible bytes, in bounded memory.
///
/// It first replays the sample the reader already took for detection (without
/// its byte-order mark), then reads the source, one `chunkSize` piece at a
/// time. UTF-8 and Windows-1252 bytes pass through untouched (fields are
/// decoded later, one by one); UTF-16 is transcoded to UTF-8 here, so the
/// parser only ever sees single-byte delimiters, quotes and line breaks.
final class DecodedInput {
  private let source: any ByteSource
  private let chunkSize: Int
  private var sample: UnsafeMutableBufferPointer<UInt8>?
  private var sampleOffset = 0
  private var sourceDone: Bool
  private let raw: UnsafeMutableRawBufferPointer
  private var transcoder: UTF16Transcoder?
  private let transcoded: UnsafeMutablePointer<UInt8>?
  private var finished = false

  /// Creates the input.
  ///
  /// - Parameters:
  ///   - source: Where the bytes after `sample` come from.
  ///   - sample: The bytes already read, byte-order mark excluded.
  ///   - sourceDone: Whether `source` is already exhausted.
  ///   - encoding: The detected or chosen encoding.
  ///   - chunkSize: The largest piece read or replayed at once.
  init(
    source: any ByteSource, sample: UnsafeBufferPointer<UInt8>, sourceDone: Bool,
    encoding: TextEncoding, chunkSize: Int
  ) {
    self.source = source
    self.chunkSize = max(1, chunkSize)
    self.sourceDone = sourceDone
    if sample.count > 0 {
      let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: sample.count)
      _ = copy.initialize(from: sample)
      self.sample = copy
    }
    self.raw = .allocate(byteCount: self.chunkSize, alignment: 8)
    switch encoding {
    case .utf16LE, .utf16BE:
      transcoder = UTF16Transcoder(bigEndian: encoding == .utf16BE)
      transcoded = .allocate(
        capacity: max(8, UTF16Transcoder.outputCapacity(forInput: self.chunkSize)))
    case .utf8, .windows1252:
      transcoder = nil
      transcoded = nil
    }
  }

  deinit {
    sample?.deallocate()
    raw.deallocate()
    transcoded?.deallocate()
  }

  /// How many invalid UTF-16 code units were replaced by U+FFFD so far.
  var replacements: Int { transcoder?.replacements ?? 0 }

  /// The next chunk, valid until the next call, or `nil` at the end of the input.
  ///
  /// - Throws: `LeadsheetError(.unreadable)` from the source.
  func next() throws -> UnsafeBufferPointer<UInt8>? {
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
}
