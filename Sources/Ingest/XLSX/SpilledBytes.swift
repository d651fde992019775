import LeadsheetCore
import SystemIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Bytes written once to a temporary file, then read back in place through a
/// memory mapping whose pages are handed back to the kernel now and then.
///
/// For the XLSX shared-string table past its memory budget. The file is
/// created mode 0600 in `TMPDIR` and unlinked at once: it has no name while
/// it holds the list's text, and disappears with the process. Reading maps it
/// read-only; every `releaseEvery` reads the mapped pages are dropped
/// (`MADV_DONTNEED`), so that they stay in the kernel's page cache rather
/// than in the process's resident memory, which thus stays bounded.
final class SpilledBytes {
  private let fd: Int32
  private var buffer: [UInt8] = []
  private static let bufferSize = 1 << 20
  /// Bytes written so far.
  private(set) var count = 0
  private var failure: LeadsheetError?
  private var mapping: UnsafeRawPointer?
  private var mappedCount = 0
  private var reads = 0
  static let releaseEvery = 4096

  /// Creates the (unlinked) temporary file in `base`, by default `TMPDIR` or `/tmp`.
  ///
  /// - Throws: `LeadsheetError(.storage)` when it cannot be made.
  init(base: String? = nil) throws {
    do {
      fd = try TemporaryFiles.makeFile(prefix: "leadsheet-strings", in: base, unlinked: true).fd
    } catch {
      throw Self.error(base ?? TemporaryFiles.directory, error)
    }
    buffer.reserveCapacity(Self.bufferSize)
  }

  deinit {
    if let mapping { munmap(UnsafeMutableRawPointer(mutating: mapping), mappedCount) }
    close(fd)
  }

  /// Appends bytes (a write error is kept and thrown by `finishWriting`).
  func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    count += bytes.count
    if buffer.count + bytes.count > Self.bufferSize {
      flush()
      // A large piece (the text kept in memory so far) goes straight to the
      // file, so that the buffer never grows past its size.
      if bytes.count > Self.bufferSize {
        write(UnsafeRawBufferPointer(bytes))
        return
      }
    }
    buffer.append(contentsOf: bytes)
  }

  /// Writes what is buffered and maps the file for reading.
  ///
  /// - Throws: `LeadsheetError(.storage)` for an earlier write error or a failed mapping.
  func finishWriting() throws {
    flush()
    if let failure { throw failure }
    guard count > 0, mapping == nil else { return }
    guard let p = mmap(nil, count, PROT_READ, MAP_SHARED, fd, 0), p != MAP_FAILED else {
      throw Self.error("the temporary folder", Errno.current)
    }
    mapping = UnsafeRawPointer(p)
    mappedCount = count
  }

  /// The bytes `start..<end`, valid until the next call; after `finishWriting`.
  @inline(__always)
  func bytes(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
    reads += 1
    if reads == Self.releaseEvery {
      reads = 0
      release()
    }
    return UnsafeBufferPointer(
      start: (mapping! + start).assumingMemoryBound(to: UInt8.self), count: end - start)
  }

  /// Drops the mapped pages from the process (they stay in the page cache).
  private func release() {
    if let mapping {
      madvise(UnsafeMutableRawPointer(mutating: mapping), mappedCount, Int32(MADV_DONTNEED))
    }
  }

  private func flush() {
    guard !buffer.isEmpty else { return }
    buffer.withUnsafeBytes { write($0) }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes bytes to the file, keeping the first error.
  private func write(_ raw: UnsafeRawBufferPointer) {
    guard failure == nil else { return }
    do {
      try SystemCalls.writeAll(fd, raw)
    } catch {
      failure = Self.error("the temporary folder", error)
    }
  }

  private static func error(_ folder: String, _ code: Errno) -> LeadsheetError {
    LeadsheetError(
      .storage, file: folder,
      "cannot use a temporary file for the workbook's shared strings (\(code))",
      hint: "set TMPDIR to a folder with free space")
  }
}
