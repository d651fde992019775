#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The read and write system calls leadsheet makes, each retried when a signal
/// interrupts it (`EINTR`), each failing with an `Errno`.
///
/// The one place where the `EINTR` loop and the short-write loop are written,
/// as swift-nio keeps its system-call wrappers in one file: callers turn the
/// `Errno` into their own one-line `LeadsheetError` naming the file.
public enum SystemCalls {
  /// Writes every byte of `bytes` to `fd`, looping over short writes.
  ///
  /// - Throws: `Errno` of the first failed `write(2)`; `EIO` when a write
  ///   makes no progress.
  public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(Errno) {
    guard let base = bytes.baseAddress else { return }
    var done = 0
    while done < bytes.count {
      let n = systemWrite(fd, base + done, bytes.count - done)
      if n < 0 {
        if errno == EINTR { continue }
        throw Errno.current
      }
      guard n > 0 else { throw Errno(EIO) }
      done += n
    }
  }

  /// Reads up to `buffer.count` bytes from `fd`'s current offset.
  ///
  /// - Returns: The bytes read; `0` only at the end of the file.
  /// - Throws: `Errno` of a failed `read(2)`.
  public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(Errno)
    -> Int
  {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    while true {
      let n = systemRead(fd, base, buffer.count)
      if n >= 0 { return n }
      if errno != EINTR { throw Errno.current }
    }
  }

  /// Reads up to `buffer.count` bytes at `offset`, without moving the file
  /// offset (several threads may read one descriptor at once).
  ///
  /// - Returns: The bytes read; `0` only at or past the end of the file.
  /// - Throws: `Errno` of a failed `pread(2)`.
  public static func read(
    _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64
  ) throws(Errno) -> Int {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    while true {
      let n = pread(fd, base, buffer.count, off_t(offset))
      if n >= 0 { return n }
      if errno != EINTR { throw Errno.current }
    }
  }

  /// Reads `buffer.count` bytes at `offset`, looping over short reads, or
  /// fewer when the file ends first.
  ///
  /// - Returns: The bytes read: `buffer.count` unless the file is shorter.
  /// - Throws: `Errno` of a failed `pread(2)`.
  public static func readFully(
    _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64
  ) throws(Errno) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    var done = 0
    while done < buffer.count {
      let n = try read(
        fd, into: UnsafeMutableRawBufferPointer(start: base + done, count: buffer.count - done),
        at: offset + Int64(done))
      if n == 0 { break }
      done += n
    }
    return done
  }
}

#if canImport(Glibc)
  private let systemWrite = Glibc.write
  private let systemRead = Glibc.read
#else
  private let systemWrite = Darwin.write
  private let systemRead = Darwin.read
#endif
