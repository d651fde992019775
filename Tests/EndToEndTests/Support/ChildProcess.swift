import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a child process ended.
enum Termination: Equatable, CustomStringConvertible {
  /// `exit(code)`.
  case exit(Int32)
  /// Killed by a signal it did not handle.
  case signal(Int32)

  /// The exit code, or `nil` when a signal killed it.
  var code: Int32? {
    if case .exit(let c) = self { return c }
    return nil
  }

  var description: String {
    switch self {
    case .exit(let c): return "exit \(c)"
    case .signal(let s): return "signal \(s)"
    }
  }
}

/// A child process whose standard output and error go to files, waited for by polling.
///
/// Files rather than pipes: a chatty child never blocks on a full pipe, the
/// output can be read while it runs, and it stays on disk for the API-key scan.
final class ChildProcess: @unchecked Sendable {
  /// What was run, for messages.
  let commandLine: String
  /// Standard output's file.
  let stdoutURL: URL
  /// Standard error's file.
  let stderrURL: URL

  private let process = Process()
  private let lock = NSLock()
  private var ended: Termination?

  /// Starts `executable` with `arguments`.
  ///
  /// - Parameters:
  ///   - executable: The program.
  ///   - arguments: Its arguments.
  ///   - environment: Its whole environment.
  ///   - directory: Its working directory.
  ///   - logName: Base name of the `.stdout` / `.stderr` files written in `directory`.
  init(
    executable: URL, arguments: [String], environment: [String: String], directory: URL,
    logName: String
  ) throws {
    commandLine = ([executable.lastPathComponent] + arguments).joined(separator: " ")
    stdoutURL = directory.appendingPathComponent("\(logName).stdout")
    stderrURL = directory.appendingPathComponent("\(logName).stderr")
    FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
    FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: stdoutURL)
    let err = try FileHandle(forWritingTo: stderrURL)
    process.executableURL = executable
    process.arguments = arguments
    process.environment = environment
    process.currentDirectoryURL = directory
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = out
    process.standardError = err
    process.terminationHandler = { [weak self] p in
      let t: Termination =
        p.terminationReason == .uncaughtSignal
        ? .signal(p.terminationStatus) : .exit(p.terminationStatus)
      self?.lock.withLock { self?.ended = t }
      try? out.close()
      try? err.close()
    }
    try process.run()
  }

  /// The child's process id.
  var pid: Int32 { process.processIdentifier }

  /// How it ended, or `nil` while it runs.
  var termination: Termination? { lock.withLock { ended } }

  /// Sends `signal` to the child (nothing if it has ended).
  func send(_ signal: Int32) {
    guard termination == nil else { return }
    kill(pid, signal)
  }

  /// Waits for the child to end; past `timeout` it is killed and the test fails.
  @discardableResult
  func wait(timeout: Duration = .seconds(60)) async -> Termination {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
      if let t = termination { return t }
      if clock.now > deadline {
        Issue.record("timed out after \(timeout): \(commandLine)\n\(stderr.suffix(2000))")
        send(SIGKILL)
        while termination == nil { try? await Task.sleep(for: .milliseconds(20)) }
        return termination!
      }
      try? await Task.sleep(for: .milliseconds(20))
    }
  }

  /// Standard output so far.
  var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
  /// Standard error so far.
  var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

  /// Waits until `predicate` holds for standard error (or output), polling.
  ///
  /// - Returns: Whether it held before `timeout` (and before the process ended).
  func waitFor(
    timeout: Duration = .seconds(20), _ predicate: (_ stdout: String, _ stderr: String) -> Bool
  ) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
      let ended = termination != nil
      if predicate(stdout, stderr) { return true }
      if ended { return false }
      try? await Task.sleep(for: .milliseconds(20))
    }
    return false
  }
}
