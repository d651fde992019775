import LeadsheetCore
import SystemIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where the CSV reader's raw bytes come from: a file, or bytes in memory in tests.
///
/// A source hands out bytes in whatever pieces it likes; the reader must give
/// the same rows whether they come one byte at a time or all at once.
protocol ByteSource: AnyObject {
  /// Reads up to `buffer.count` bytes into `buffer`.
  ///
  /// - Returns: The number of bytes read; `0` only at the end of the input.
  /// - Throws: `LeadsheetError(.unreadable)` when the input cannot be read.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// A file read with `read(2)`, in the caller's buffer: nothing is held beyond it.
final class FileByteSource: ByteSource {
  /// The file as the user named it, for messages.
  let path: String
  private let fd: Int32

  /// Opens `path` for reading.
  ///
  /// - Throws: `LeadsheetError(.unreadable)` naming the reason (missing, folder, permission).
  init(path: String) throws {
    self.path = path
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw FileByteSource.error(path: path, errno: errno) }
    var st = stat()
    if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
      close(fd)
      throw FileByteSource.error(path: path, errno: EISDIR)
    }
    self.fd = fd
  }

  deinit { close(fd) }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    do {
      return try SystemCalls.read(fd, into: buffer)
    } catch {
      throw FileByteSource.error(path: path, errno: error.code)
    }
  }

  /// The one-line error for a failed `open(2)` or `read(2)`.
  static func error(path: String, errno code: Int32) -> LeadsheetError {
    switch code {
    case ENOENT:
      return LeadsheetError(.unreadable, file: path, "no such file", hint: "check the path")
    case EISDIR:
      return LeadsheetError(
        .unreadable, file: path, "is a folder, not a file",
        hint: "name the CSV or XLSX file inside it")
    case EACCES, EPERM:
      return LeadsheetError(
        .unreadable, file: path, "cannot be read (permission denied)",
        hint: "check the file's permissions")
    default:
      return LeadsheetError(.unreadable, file: path, "cannot be read (\(Errno(code)))")
    }
  }
}

/// The bytes `range` of a file, read with `pread` (several may read one file at once).
final class FileRangeByteSource: ByteSource {
  let path: String
  private let fd: Int32
  private var offset: Int
  private let end: Int

  /// Opens `path` to read `range` of it.
  init(path: String, range: Range<Int>) throws {
    self.path = path
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw FileByteSource.error(path: path, errno: errno) }
    self.fd = fd
    self.offset = range.lowerBound
    self.end = range.upperBound
  }

  deinit { close(fd) }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard let base = buffer.baseAddress, offset < end else { return 0 }
    let count = min(buffer.count, end - offset)
    do {
      let n = try SystemCalls.read(
        fd, into: UnsafeMutableRawBufferPointer(start: base, count: count), at: Int64(offset))
      offset += n
      return n
    } catch {
      throw FileByteSource.error(path: path, errno: error.code)
    }
  }
}
