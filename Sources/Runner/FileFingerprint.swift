import Crypto
import LeadsheetCore
import SystemIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The SHA-256 digest and size of an input file.
///
/// A job records its input's fingerprint so that `resume` can refuse a file
/// whose bytes changed, and `enrich` can find an unfinished job for the same
/// file. The digest is swift-crypto's `SHA256` (BoringSSL underneath, already
/// in the build through swift-nio-extras' dependencies), fed 1 MiB at a time:
/// memory stays flat whatever the file's size.
public enum FileFingerprint {
  /// Reads `path` to its end and returns its SHA-256 (lowercase hex) and size.
  ///
  /// - Throws: `LeadsheetError(.unreadable)` naming the file when it cannot be
  ///   opened or read.
  public static func of(path: String) throws -> (hex: String, size: Int64) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw unreadable(path, Errno.current) }
    defer { close(fd) }
    var hash = SHA256()
    var size: Int64 = 0
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n: Int
      do {
        n = try buffer.withUnsafeMutableBytes { try SystemCalls.read(fd, into: $0) }
      } catch {
        throw unreadable(path, error as? Errno ?? Errno(EIO))
      }
      if n == 0 { break }
      size += Int64(n)
      buffer.withUnsafeBytes {
        hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<n]))
      }
    }
    let hex = hash.finalize().map { byte in
      let digits = Array("0123456789abcdef".utf8)
      return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xf)]], as: UTF8.self)
    }.joined()
    return (hex, size)
  }

  private static func unreadable(_ path: String, _ code: Errno) -> LeadsheetError {
    LeadsheetError(
      .unreadable, file: path, "cannot be read (\(code))", hint: "check the path and permissions")
  }
}
