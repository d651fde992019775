import Foundation
import Testing

/// The key every end-to-end test gives leadsheet through `PRONTO_API_KEY`: distinctive,
/// so that finding its bytes in a file can only mean leadsheet wrote it.
let testAPIKey = "e2e-pronto-key-7f3c9a51d2"

/// Where the built binaries are, and how to run `leadsheet` in a test's folder.
enum Binaries {
  /// The `leadsheet` executable built with the tests.
  ///
  /// Looked for beside the test bundle (`.build/<triple>/<config>/`), then in the
  /// package's `.build/debug` and `.build/release`; `LEADSHEET_E2E_BIN` overrides.
  static let leadsheet: URL? = {
    let fm = FileManager.default
    if let path = ProcessInfo.processInfo.environment["LEADSHEET_E2E_BIN"] {
      return URL(fileURLWithPath: path)
    }
    var candidates: [URL] = []
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<6 {
      candidates.append(folder.appendingPathComponent("leadsheet"))
      folder.deleteLastPathComponent()
    }
    let package = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    candidates.append(package.appendingPathComponent(".build/debug/leadsheet"))
    candidates.append(package.appendingPathComponent(".build/release/leadsheet"))
    return candidates.first { url in
      var isDir: ObjCBool = false
      return fm.fileExists(atPath: url.path, isDirectory: &isDir) && !isDir.boolValue
        && fm.isExecutableFile(atPath: url.path)
    }
  }()

  /// The binary, or a failed test saying how to build it.
  static func requireLeadsheet() throws -> URL {
    try #require(
      leadsheet,
      """
      the leadsheet binary was not found beside the test bundle \
      (\(CommandLine.arguments[0])): run `swift build --build-tests` first, \
      or set LEADSHEET_E2E_BIN
      """)
  }
}

/// A fresh temporary folder for one test: its input, database, outputs and logs.
final class Workdir: @unchecked Sendable {
  /// The folder.
  let url: URL
  /// The job database (`--db`): `jobs.sqlite` in the folder unless ``databasePath`` is set.
  var db: String { databasePath ?? url.appendingPathComponent("jobs.sqlite").path }
  /// A database elsewhere (on a ``Tmpfs``, say).
  var databasePath: String?
  private var runs = 0
  private var children: [ChildProcess] = []

  /// Creates `…/leadsheet-e2e-NAME-XXXX`.
  init(_ name: String) throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("leadsheet-e2e-\(name)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  /// Kills what is still running (a test that failed early), then removes the folder
  /// (kept when `LEADSHEET_E2E_KEEP` is set, for debugging).
  func remove() {
    for child in children where child.termination == nil { child.send(SIGKILL) }
    if ProcessInfo.processInfo.environment["LEADSHEET_E2E_KEEP"] != nil { return }
    try? FileManager.default.removeItem(at: url)
  }

  /// The path of `name` inside the folder.
  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  /// Writes `text` to `name` and returns its path.
  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    let p = path(name)
    try Data(text.utf8).write(to: URL(fileURLWithPath: p))
    return p
  }

  /// The environment every leadsheet process gets: the key, and nothing that
  /// could point it at another database or API.
  var environment: [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["PRONTO_API_KEY"] = testAPIKey
    // The most verbose logs, so that the key scan covers them too.
    env["LEADSHEET_LOG_LEVEL"] = "trace"
    env["XDG_STATE_HOME"] = url.path
    env["LEADSHEET_DB"] = nil
    env["LEADSHEET_BASE_URL"] = nil
    return env
  }

  /// Starts `leadsheet ARGS --db DB` in the folder.
  func start(_ arguments: [String], db: Bool = true, environment: [String: String]? = nil)
    throws -> ChildProcess
  {
    runs += 1
    let name = "run\(runs)-\(arguments.first ?? "")"
    let child = try ChildProcess(
      executable: try Binaries.requireLeadsheet(),
      arguments: arguments + (db ? ["--db", self.db] : []),
      environment: environment ?? self.environment, directory: url, logName: name)
    children.append(child)
    return child
  }

  /// Runs `leadsheet ARGS --db DB` to its end.
  func run(_ arguments: [String], timeout: Duration = .seconds(60)) async throws -> Finished {
    let p = try start(arguments)
    let t = await p.wait(timeout: timeout)
    return Finished(termination: t, stdout: p.stdout, stderr: p.stderr)
  }

  /// A finished run's termination and output.
  struct Finished {
    var termination: Termination
    var stdout: String
    var stderr: String
    /// The exit code (`-1` for a signal).
    var code: Int32 { termination.code ?? -1 }
    /// Standard output parsed as a JSON object (`--json`).
    var json: [String: Any] {
      (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:]
    }
  }

  /// `leadsheet status JOB --json`.
  func status(_ job: String) async throws -> [String: Any] {
    let r = try await run(["status", job, "--json"])
    #expect(r.code == 0, "status \(job): \(r.stderr)")
    return r.json
  }

  /// Runs one SQL query read-only on the job database with the `sqlite3` shell.
  func sql(_ query: String) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["sqlite3", "-readonly", "-cmd", ".timeout 5000", db, query]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Every file in the folder (database, WAL, outputs, logs of every run)
  /// that contains the API key's bytes.
  func filesHoldingTheKey() -> [String] {
    let key = Data(testAPIKey.utf8)
    let fm = FileManager.default
    var hits: [String] = []
    guard let walker = fm.enumerator(atPath: url.path) else { return ["<unreadable folder>"] }
    var scanned = 0
    for case let name as String in walker {
      let full = url.appendingPathComponent(name).path
      var isDir: ObjCBool = false
      guard fm.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue else { continue }
      scanned += 1
      if let data = fm.contents(atPath: full), data.range(of: key) != nil { hits.append(name) }
    }
    return scanned == 0 ? ["<no files scanned>"] : hits
  }

  /// Fails the test if the key is in any file of the folder (proof 6).
  func expectNoKeyWritten(sourceLocation: SourceLocation = #_sourceLocation) {
    let hits = filesHoldingTheKey()
    #expect(hits.isEmpty, "the API key was written to \(hits)", sourceLocation: sourceLocation)
  }
}
