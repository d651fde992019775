import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A small tmpfs mounted for one test: a disk that fills up, or turns read-only, on demand.
///
/// Needs root (`mount`); the tests using it are skipped otherwise (see ``available``).
final class Tmpfs: @unchecked Sendable {
  /// The mount point.
  let url: URL
  /// The mount point's path.
  var path: String { url.path }

  /// Whether a tmpfs can be mounted here (root on Linux), checked once.
  static let available: Bool = {
    #if os(Linux)
      guard geteuid() == 0 else { return false }
      guard let probe = try? Tmpfs(size: "64k") else { return false }
      probe.unmount()
      return true
    #else
      return false
    #endif
  }()

  /// Mounts a tmpfs of `size` (`2m`) on a fresh folder.
  init(size: String) throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("leadsheet-e2e-tmpfs-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    guard Self.mount(["-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", url.path]) else {
      try? FileManager.default.removeItem(at: url)
      throw MountError()
    }
  }

  struct MountError: Error {}

  /// Remounts it read-only (`true`) or read-write; whether `mount` succeeded.
  @discardableResult
  func setReadOnly(_ readOnly: Bool) -> Bool {
    Self.mount(["-o", readOnly ? "remount,ro" : "remount,rw", url.path])
  }

  /// Fills the remaining space with `filler` (written until `ENOSPC`); returns its bytes.
  @discardableResult
  func fill() -> Int {
    let fd = open(url.appendingPathComponent("filler").path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    guard fd >= 0 else { return 0 }
    defer { close(fd) }
    var total = 0
    let chunk = [UInt8](repeating: 0x5A, count: 4096)
    while true {
      let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if n <= 0 { break }
      total += n
    }
    // Tail of a page: single bytes until nothing fits.
    while chunk.withUnsafeBytes({ write(fd, $0.baseAddress, 1) }) == 1 { total += 1 }
    return total
  }

  /// Frees the filler's space.
  func free() {
    try? FileManager.default.removeItem(at: url.appendingPathComponent("filler"))
  }

  /// Unmounts it and removes the folder.
  func unmount() {
    _ = Self.mount(["-o", "remount,rw", url.path])
    _ = Self.run("/bin/umount", [url.path])
    try? FileManager.default.removeItem(at: url)
  }

  private static func mount(_ arguments: [String]) -> Bool { run("/bin/mount", arguments) }

  private static func run(_ tool: String, _ arguments: [String]) -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = arguments
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
  }
}
