import Foundation

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
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeMutableBytes { buf in
        Foundation.write(fd, buf.baseAddress! + offset, buf.count - offset)
      }
      if n < 0 {
        if errno == EINTR { continue }
        if errno == EPIPE { exit(0) }
        return
      }
      offset += n
    }
  }

  /// Ignores SIGPIPE so that a closed pipe is an `EPIPE` write error handled above.
  static func ignoreBrokenPipe() { signal(SIGPIPE, SIG_IGN) }
}
