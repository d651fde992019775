import Foundation
import LeadsheetCore
import SystemIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a file under a temporary name and gives it its final name only on `commit()`.
///
/// The temporary file lives in the destination's folder (so the final
/// `rename(2)` is atomic), is named `.NAME.leadsheet-XXXXXX` and is created
/// with mode 0600: the list holds personal data, so the output is readable by
/// its owner only. Until `commit()`, the final path is never touched; a writer
/// dropped without `commit()` (an error, a cancelled run) removes its temporary
/// file, and a crash leaves at most that hidden temporary file, never half a
/// file under the final name. An existing file at the final path is replaced
/// atomically on commit.
///
/// The path `-` writes to standard output, unbuffered by any temporary file.
///
/// The writer refuses a destination that is the input file (same path after
/// resolving symbolic links, or the same inode).
public final class AtomicFileWriter {
  /// The final path as given (`-` for standard output).
  public let path: String
  /// Bytes written so far.
  public private(set) var bytesWritten: Int64 = 0
  /// Whether this writer writes to standard output.
  public var isStandardOutput: Bool { path == "-" }

  private var fd: Int32
  private var temporaryPath: String?
  private var done = false

  /// Opens a temporary file beside `path`.
  ///
  /// - Parameters:
  ///   - path: The final path, or `-` for standard output.
  ///   - inputPath: The input file, which must never be overwritten.
  /// - Throws: `LeadsheetError` (`.usage`) when `path` is the input file;
  ///   (`.storage`) when the temporary file cannot be created.
  public init(path: String, inputPath: String? = nil) throws {
    self.path = path
    if path == "-" {
      fd = 1
      return
    }
    if let inputPath, inputPath != "-", AtomicFileWriter.isSameFile(path, inputPath) {
      throw LeadsheetError(
        .usage, file: path, "the output would overwrite the input file",
        hint: "choose another output path; leadsheet never modifies the input")
    }
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    do {
      let made = try TemporaryFiles.makeFile(
        prefix: "." + url.lastPathComponent + ".leadsheet", in: folder, unlinked: false)
      fd = made.fd
      temporaryPath = made.path
    } catch {
      throw LeadsheetError(
        .storage, file: path, "cannot create a file in \(folder): \(error)",
        hint: "check that the folder exists and is writable")
    }
  }

  deinit { discard() }

  /// Writes bytes at the end of the file.
  ///
  /// - Throws: `LeadsheetError` (`.storage`) on a write error (disk full, broken pipe).
  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard !done else {
      throw LeadsheetError(.storage, file: path, "write after the file was committed")
    }
    do {
      try SystemCalls.writeAll(fd, bytes)
    } catch {
      throw LeadsheetError(.storage, file: path, "cannot write: \(error)")
    }
    bytesWritten += Int64(bytes.count)
  }

  /// Writes bytes at the end of the file.
  ///
  /// - Throws: `LeadsheetError` (`.storage`) on a write error.
  public func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }

  /// Flushes the file to disk and gives it its final name.
  ///
  /// - Throws: `LeadsheetError` (`.storage`) when the data cannot be synced or renamed;
  ///   the temporary file is then removed.
  public func commit() throws {
    guard !done else { return }
    guard let temporaryPath else {
      done = true
      return
    }
    if fsync(fd) != 0 && errno != EINVAL {
      let e = AtomicFileWriter.errorText()
      discard()
      throw LeadsheetError(.storage, file: path, "cannot flush to disk: \(e)")
    }
    close(fd)
    fd = -1
    if rename(temporaryPath, path) != 0 {
      let e = AtomicFileWriter.errorText()
      unlink(temporaryPath)
      done = true
      throw LeadsheetError(.storage, file: path, "cannot rename the finished file: \(e)")
    }
    done = true
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    let dirfd = open(folder, O_RDONLY)
    if dirfd >= 0 {
      _ = fsync(dirfd)
      close(dirfd)
    }
  }

  /// Abandons the file: removes the temporary file; the final path is left untouched.
  public func discard() {
    guard !done else { return }
    done = true
    if let temporaryPath {
      if fd >= 0 { close(fd) }
      unlink(temporaryPath)
    }
  }

  /// Whether two paths name the same file (same inode, or same resolved path).
  static func isSameFile(_ a: String, _ b: String) -> Bool {
    var sa = stat()
    var sb = stat()
    if stat(a, &sa) == 0, stat(b, &sb) == 0 {
      return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }
    let ra = URL(fileURLWithPath: a).standardizedFileURL.resolvingSymlinksInPath().path
    let rb = URL(fileURLWithPath: b).standardizedFileURL.resolvingSymlinksInPath().path
    return ra == rb
  }

  private static func errorText() -> String { Errno.current.description }
}
