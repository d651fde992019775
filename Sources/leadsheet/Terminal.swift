import Foundation
import SystemIO

/// Unbuffered writes to stdout/stderr that survive a closed pipe (`leadsheet … | head`).
struct Terminal: Sendable {
  let fd: Int32

  static let standardOutput = Terminal(fd: STDOUT_FILENO)
  static let standardError = Terminal(fd: STDERR_FILENO)

  /// Whether the stream is a terminal.
  var isTTY: Bool { isatty(fd) == 1 }

  /// Whether colour may be used: a terminal, and `NO_COLOR` unset.
  var allowsColor: Bool {
    isTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
  }

  /// Writes `text` and a newline.
  func writeLine(_ text: String) { write(text + "\n") }

  /// Writes `text`; on a closed pipe, exits quietly.
  func write(_ text: String) {
    let bytes = Array(text.utf8)
    do {
      try bytes.withUnsafeBytes { try SystemCalls.writeAll(fd, $0) }
    } catch let error as Errno where error.code == EPIPE {
      exit(0)
    } catch {
      // Any other write error (a full disk under a redirect): nothing else to tell it to.
    }
  }

  /// Ignores SIGPIPE so that a closed pipe is an `EPIPE` write error handled above.
  static func ignoreBrokenPipe() { signal(SIGPIPE, SIG_IGN) }
}
