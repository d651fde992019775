#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Private temporary files and folders: where they go, and how they are made.
///
/// Everything is made with `mkstemp`/`mkdtemp` in `directory` (`TMPDIR`, else
/// `/tmp`), files mode 0600 and folders 0700, because they hold the user's
/// list. The caller removes them; an `unlinked` file has no name at all while
/// it is in use and disappears with the process.
public enum TemporaryFiles {
  /// `TMPDIR` when set and not empty, else `/tmp`.
  public static var directory: String {
    if let value = getenv("TMPDIR") {
      let text = String(cString: value)
      if !text.isEmpty { return text }
    }
    return "/tmp"
  }

  /// Makes a new file `PREFIX-XXXXXX` in `base`, opened read-write, mode 0600.
  ///
  /// - Parameters:
  ///   - prefix: The start of the file's name (`leadsheet-strings`).
  ///   - base: The folder; `nil` for `directory`.
  ///   - unlinked: Whether to remove the name at once (the file lives as long
  ///     as its descriptor).
  /// - Returns: The open descriptor and the path (already gone when `unlinked`).
  /// - Throws: `Errno` when the file cannot be made.
  public static func makeFile(prefix: String, in base: String? = nil, unlinked: Bool)
    throws(Errno) -> (fd: Int32, path: String)
  {
    var template = Array(((base ?? directory) + "/" + prefix + "-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw Errno.current }
    let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    if unlinked { unlink(path) }
    fchmod(fd, 0o600)
    return (fd, path)
  }

  /// Makes a new private folder `PREFIX-XXXXXX` (mode 0700) in `base`.
  ///
  /// - Parameters:
  ///   - prefix: The start of the folder's name (`leadsheet-contacts`).
  ///   - base: The parent folder; `nil` for `directory`.
  /// - Returns: The folder's path.
  /// - Throws: `Errno` when it cannot be made.
  public static func makeDirectory(prefix: String, in base: String? = nil) throws(Errno)
    -> String
  {
    var template = Array(((base ?? directory) + "/" + prefix + "-XXXXXX").utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
      throw Errno.current
    }
    return String(cString: made)
  }
}
