import Foundation
import Logging

/// Sends swift-log's output to standard error, at the level `LEADSHEET_LOG_LEVEL` names.
///
/// Standard output stays for what a command prints (`--json`, CSV on `-o -`). The default
/// level is `warning`; `LEADSHEET_LOG_LEVEL=trace` shows every request attempt (never the
/// API key: the client logs no header).
enum LogSetup {
  private static let once: Void = {
    let env = ProcessInfo.processInfo.environment["LEADSHEET_LOG_LEVEL"]?.lowercased()
    let level = env.flatMap(Logger.Level.init(rawValue:)) ?? .warning
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
  }()

  /// Bootstraps logging the first time it is called; later calls do nothing.
  static func bootstrap() { _ = once }
}
