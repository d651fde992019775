import CLeadsheetZlib
import LeadsheetCore

/// A zlib raw-deflate stream (no zlib or gzip header, as ZIP wants), reusable across entries.
///
/// The `z_stream` lives at a fixed heap address, as zlib requires.
final class Deflater {
  private let stream: UnsafeMutablePointer<z_stream>
  private var output: [UInt8]

  /// Creates a stream at `level` (1–9).
  init(level: Int) throws {
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    output = [UInt8](repeating: 0, count: 256 * 1024)
    let rc = leadsheet_deflateInit2(stream, Int32(max(1, min(9, level))), -15)
    guard rc == Z_OK else {
      stream.deallocate()
      throw LeadsheetError(.storage, "cannot start zlib deflate (error \(rc))")
    }
  }

  deinit {
    deflateEnd(stream)
    stream.deinitialize(count: 1)
    stream.deallocate()
  }

  /// Compresses `input` (all of it), handing compressed chunks to `sink`; with
  /// `finish`, ends the stream and resets it for the next entry.
  func deflate(
    _ input: UnsafeRawBufferPointer, finish: Bool,
    sink: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    let base = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
    stream.pointee.next_in = UnsafeMutablePointer(mutating: base)
    stream.pointee.avail_in = UInt32(input.count)
    let flush = finish ? Z_FINISH : Z_NO_FLUSH
    let capacity = output.count
    while true {
      let (rc, produced) = output.withUnsafeMutableBytes { out -> (Int32, Int) in
        stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(capacity)
        let rc = CLeadsheetZlib.deflate(stream, flush)
        return (rc, capacity - Int(stream.pointee.avail_out))
      }
      guard rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR else {
        throw LeadsheetError(.storage, "zlib deflate failed (error \(rc))")
      }
      if produced > 0 {
        try output.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[..<produced])) }
      }
      if finish {
        if rc == Z_STREAM_END { break }
      } else if stream.pointee.avail_in == 0 && produced < capacity {
        break
      }
    }
    stream.pointee.next_in = nil
    if finish { deflateReset(stream) }
  }
}
