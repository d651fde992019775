import CLeadsheetZlib
import LeadsheetCore

/// The bytes of one ZIP entry, inflated on demand as a reader pulls them.
///
/// The compressed data is read from the file in 64 KiB chunks and inflated
/// with zlib's raw inflate into the caller's buffer. The `z_stream` lives at a
/// fixed heap address for the stream's life. Every byte produced is counted
/// against the declared size, the archive-wide `maxUncompressedBytes` and the
/// `maxCompressionRatio`, because headers can lie.
final class ZipEntryStream {
  let archive: ZipArchive
  let entry: ZipEntry
  private let limits: IngestLimits
  private let start: Int64
  /// Compressed bytes read from the file so far.
  private var consumed: Int64 = 0
  /// Bytes handed to the caller so far.
  private(set) var produced: Int64 = 0
  private var finished = false
  private let z: UnsafeMutablePointer<z_stream>?
  private let input: UnsafeMutablePointer<UInt8>
  private static let chunk = 64 * 1024
  /// The first error met, kept for the XML reader's read callback to report.
  var error: LeadsheetError?

  /// Opens `entry` of `archive` for reading.
  ///
  /// - Throws: `LeadsheetError` for an unsupported method, an encrypted
  ///   entry or declared sizes beyond the limits.
  init(archive: ZipArchive, entry: ZipEntry, limits: IngestLimits) throws {
    self.archive = archive
    self.entry = entry
    self.limits = limits
    let file = archive.path
    let part = SourceLocation.part(entry.name)
    if entry.flags & 1 != 0 {
      throw LeadsheetError(
        .refused, file: file, location: part, "the part is encrypted",
        hint: "save the workbook without a password")
    }
    guard entry.method == 0 || entry.method == 8 else {
      throw LeadsheetError(
        .unsupported, file: file, location: part,
        "unsupported ZIP compression method \(entry.method)",
        hint: "re-save the workbook from Excel or LibreOffice")
    }
    if entry.uncompressedSize > limits.maxUncompressedBytes
      || archive.inflatedTotal + entry.uncompressedSize > limits.maxUncompressedBytes
    {
      throw Self.tooBig(file, part, limits)
    }
    if entry.method == 8
      && entry.uncompressedSize > max(entry.compressedSize, 1) * limits.maxCompressionRatio
    {
      throw Self.tooDense(file, part, limits)
    }
    self.start = try archive.dataOffset(of: entry)
    self.input = .allocate(capacity: Self.chunk)
    if entry.method == 8 {
      let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
      z.initialize(to: z_stream())
      guard leadsheet_inflateInit2(z, -15) == Z_OK else {
        z.deallocate()
        input.deallocate()
        throw LeadsheetError(.unreadable, file: file, "zlib could not start")
      }
      self.z = z
    } else {
      self.z = nil
    }
  }

  deinit {
    if let z {
      inflateEnd(z)
      z.deinitialize(count: 1)
      z.deallocate()
    }
    input.deallocate()
  }

  static func tooBig(_ file: String, _ part: SourceLocation, _ limits: IngestLimits)
    -> LeadsheetError
  {
    LeadsheetError(
      .refused, file: file, location: part,
      "the workbook inflates to more than \(limits.maxUncompressedBytes) bytes; "
        + "refused (ZIP bomb?)",
      hint: "split the list or save it as CSV")
  }

  static func tooDense(_ file: String, _ part: SourceLocation, _ limits: IngestLimits)
    -> LeadsheetError
  {
    LeadsheetError(
      .refused, file: file, location: part,
      "the part is compressed more than \(limits.maxCompressionRatio):1; "
        + "refused as a likely ZIP bomb",
      hint: "re-save the workbook from Excel or LibreOffice, or save it as CSV")
  }

  private func fail(_ e: LeadsheetError) throws -> Never {
    error = e
    throw e
  }

  /// Fills `buffer` with up to `capacity` inflated bytes; 0 means the end.
  ///
  /// - Throws: `LeadsheetError` for corrupt data or a broken limit (also kept in `error`).
  func read(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int {
    if let error { throw error }
    if finished || capacity == 0 { return 0 }
    let part = SourceLocation.part(entry.name)
    let file = archive.path
    var n = 0
    if let z {
      z.pointee.next_out = buffer
      z.pointee.avail_out = UInt32(clamping: capacity)
      while z.pointee.avail_out > 0 {
        var inputDone = false
        if z.pointee.avail_in == 0 {
          let want = Int(min(Int64(Self.chunk), entry.compressedSize - consumed))
          if want > 0 {
            let got = try archive.read(at: start + consumed, into: input, count: want)
            guard got == want else {
              try fail(
                LeadsheetError(
                  .malformed, file: file, location: part, "the file is truncated",
                  hint: "re-export the file"))
            }
            consumed += Int64(got)
            z.pointee.next_in = input
            z.pointee.avail_in = UInt32(got)
          } else {
            inputDone = true
          }
        }
        let before = z.pointee.avail_out
        let rc = inflate(z, Z_NO_FLUSH)
        if rc == Z_STREAM_END {
          finished = true
          break
        }
        if rc != Z_OK && rc != Z_BUF_ERROR {
          try fail(
            LeadsheetError(
              .malformed, file: file, location: part, "corrupt compressed data (zlib error \(rc))",
              hint: "re-export the file"))
        }
        if inputDone && z.pointee.avail_out == before {
          try fail(
            LeadsheetError(
              .malformed, file: file, location: part,
              "the compressed data ends early (truncated or corrupt)", hint: "re-export the file"))
        }
      }
      n = capacity - Int(z.pointee.avail_out)
    } else {
      let want = Int(min(Int64(capacity), entry.compressedSize - consumed))
      if want > 0 {
        n = try archive.read(at: start + consumed, into: buffer, count: want)
        consumed += Int64(n)
      }
      if n == 0 || consumed >= entry.compressedSize { finished = consumed >= entry.compressedSize }
    }
    produced += Int64(n)
    archive.inflatedTotal += Int64(n)
    if produced > entry.uncompressedSize {
      try fail(
        LeadsheetError(
          .refused, file: file, location: part,
          "the part inflates beyond the \(entry.uncompressedSize) bytes its header declares; "
            + "refused",
          hint: "re-export the file"))
    }
    if archive.inflatedTotal > limits.maxUncompressedBytes {
      try fail(Self.tooBig(file, part, limits))
    }
    if z != nil && produced > max(consumed, 1) * limits.maxCompressionRatio {
      try fail(Self.tooDense(file, part, limits))
    }
    return n
  }

  /// Reads the whole entry (for small parts only).
  func readAll() throws -> [UInt8] {
    var out: [UInt8] = []
    let cap = 64 * 1024
    let buf = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
    defer { buf.deallocate() }
    while true {
      let n = try read(into: buf, capacity: cap)
      if n == 0 { break }
      out.append(contentsOf: UnsafeBufferPointer(start: buf, count: n))
    }
    return out
  }
}
