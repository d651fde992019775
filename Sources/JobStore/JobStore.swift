import CSQLite
import Foundation
import LeadsheetCore
import SystemIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The SQLite database holding every job: rows, requests, outcomes, locks and run statistics.
///
/// One file holds all jobs (`defaultPath(environment:)`). Opening it creates
/// the folder (mode 0700) and the file (mode 0600: it holds personal data),
/// sets the pragmas and applies pending migrations, like GRDB's `AppDatabase`.
/// Writes and reads live in the `JobStore+*.swift` extensions.
///
/// Durability: WAL with `synchronous = FULL`. Each write transaction
/// (`markInFlight`, `recordOutcomes`, an ingest batch) is on disk when the
/// call returns, so neither a crash (SIGKILL) nor a power loss can forget an
/// outcome or a request marked in flight, which could otherwise be paid for
/// twice. `NORMAL` is as safe against a process crash but may roll back the
/// last commits on power loss; the cost of `FULL` is one WAL fsync per
/// commit, which at a few commits per second (and one per 2,000 ingested
/// rows) is negligible next to the API's latency.
///
/// Threading: a `JobStore` owns a `sqlite3` connection, which is not
/// `Sendable`. Use each instance from one thread, task or actor at a time
/// (the runner wraps it in an actor); open another instance for another
/// thread. Two processes may open the same file: SQLite's locking and the
/// busy timeout (5 s) serialize their writes, and `acquireLock(job:pid:host:)`
/// keeps two processes from running the same job.
public final class JobStore {
  /// The database file, as given.
  public let path: String
  /// The busy timeout, in milliseconds.
  public static let busyTimeoutMilliseconds: Int32 = 5_000

  let connection: SQLiteConnection
  let now: () -> Date
  private let busy = BusyWait(timeout: Double(JobStore.busyTimeoutMilliseconds) / 1000)

  /// Opens the database at `path`, creating it (and its folder) if needed, and migrates it.
  ///
  /// - Parameters:
  ///   - path: The database file; `defaultPath(environment:)` unless `--db` says otherwise.
  ///   - now: The clock used for every stored time (tests pass a fixed one).
  /// - Throws: `LeadsheetError(.storage)` naming `path`, with a hint (read-only
  ///   folder, disk full, newer schema…).
  public init(path: String, now: @escaping () -> Date = Date.init) throws {
    self.path = path
    self.now = now
    if path != ":memory:" { try Self.createFile(path) }
    connection = try SQLiteConnection(path: path)
    try configure()
    try migrate()
  }

  /// Closes the connection.
  ///
  /// Later calls throw `LeadsheetError(.storage)`. Also done when the store is released.
  public func close() { connection.close() }

  /// The database path to use when `--db` is not given.
  ///
  /// `LEADSHEET_DB` if set; otherwise `$XDG_STATE_HOME/leadsheet/jobs.sqlite`
  /// when `XDG_STATE_HOME` is an absolute path; otherwise
  /// `$HOME/.local/state/leadsheet/jobs.sqlite`.
  ///
  /// - Parameter environment: The process environment (injected for tests).
  /// - Returns: The path of the database file.
  public static func defaultPath(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String {
    if let db = environment["LEADSHEET_DB"], !db.isEmpty { return db }
    let state: String
    if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
      state = xdg
    } else {
      let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
      state = home + "/.local/state"
    }
    return state + "/leadsheet/jobs.sqlite"
  }

  /// The schema version of the open database (`PRAGMA user_version`).
  public func schemaVersion() throws -> Int {
    Int(try connection.scalarInt("PRAGMA user_version"))
  }

  /// The schema version this build creates and understands.
  public static var latestSchemaVersion: Int { Migrations.latestVersion }

  // MARK: Opening

  /// Creates the folder (0700) and the file (0600) before SQLite opens it, so
  /// that the file is never readable by others, not even for an instant.
  ///
  /// An existing file is never opened here: closing any descriptor of a file
  /// drops every POSIX lock the process holds on it, those of this process's
  /// other SQLite connections included, and another process could then
  /// checkpoint and truncate the WAL under them (`SQLITE_IOERR_SHORT_READ`,
  /// seen as "disk I/O error" when two jobs ran at once). `O_EXCL` makes the
  /// creation itself safe when two processes create the database at once.
  private static func createFile(_ path: String) throws {
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
      do {
        try FileManager.default.createDirectory(
          atPath: folder, withIntermediateDirectories: true,
          attributes: [.posixPermissions: 0o700])
      } catch {
        throw LeadsheetError(
          .storage, file: path, "cannot create the folder \(folder)",
          hint: "check that its parent is writable, or pass --db / LEADSHEET_DB")
      }
    }
    if FileManager.default.fileExists(atPath: path) { return }
    let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      let code = errno
      if code == EEXIST { return }  // another process created it meanwhile
      let hint: String
      switch code {
      case EACCES, EPERM, EROFS:
        hint = "the folder or file is read-only: check permissions, or pass --db"
      case ENOSPC: hint = "the disk is full: free some space, or pass --db on another disk"
      case ENOENT, ENOTDIR: hint = "the folder does not exist: create it, or pass --db"
      default: hint = "check the path, or pass --db / LEADSHEET_DB"
      }
      throw LeadsheetError(
        .storage, file: path, "cannot open: \(Errno(code))", hint: hint)
    }
    #if canImport(Glibc)
      Glibc.close(fd)
    #else
      Darwin.close(fd)
    #endif
  }

  private func configure() throws {
    if let handle = connection.handle { busy.install(on: handle) }
    let mode = try switchToWAL()
    if path != ":memory:", mode?.lowercased() != "wal" {
      throw LeadsheetError(
        .storage, file: path, "cannot switch the database to WAL mode (got \(mode ?? "nothing"))",
        hint: "use a local disk: network file systems do not support WAL")
    }
    try connection.execute(
      """
      PRAGMA synchronous = FULL;
      PRAGMA foreign_keys = ON;
      PRAGMA secure_delete = ON;
      """)
  }

  /// Puts the database in WAL mode, once: an existing leadsheet database
  /// already is, and is only read here.
  ///
  /// Switching needs the file to itself; when another process is opening the
  /// same new database at that instant, SQLite answers `SQLITE_BUSY` at once
  /// (two readers both asking to write would deadlock, so the busy handler is
  /// not called), and the switch is tried again for up to the busy timeout.
  ///
  /// - Returns: The journal mode now in force.
  private func switchToWAL() throws -> String? {
    let current = try connection.scalarText("PRAGMA journal_mode")
    if current?.lowercased() == "wal" { return current }
    let deadline = Self.monotonicSeconds() + Double(Self.busyTimeoutMilliseconds) / 1000
    while true {
      do {
        return try connection.scalarText("PRAGMA journal_mode = WAL")
      } catch
        where connection.lastErrorCode & 0xff == SQLITE_BUSY
        && Self.monotonicSeconds() < deadline
      {
        usleep(UInt32.random(in: 5_000...25_000))
      }
    }
  }

  // MARK: Migrations

  /// Brings the schema to `Migrations.latestVersion`, one transaction per step.
  ///
  /// A database already at the latest version (every open but the first) is only
  /// read: a write transaction per step would wait, each, for the write lock, which
  /// a live ingest of this process hands over once per commit (a quarter of a second
  /// apart), and every connection a run opens beside it would wait ten of them.
  private func migrate() throws {
    if Int(try connection.scalarInt("PRAGMA user_version")) == Migrations.latestVersion {
      return
    }
    for migration in Migrations.all {
      try connection.transaction {
        let current = Int(try connection.scalarInt("PRAGMA user_version"))
        if current > Migrations.latestVersion {
          throw LeadsheetError(
            .storage, file: path,
            "the database has schema version \(current); this leadsheet knows up to "
              + "\(Migrations.latestVersion)",
            hint: "upgrade leadsheet, or pass --db to use another database")
        }
        guard current < migration.version else { return }
        try connection.execute(migration.sql)
        try connection.execute("PRAGMA user_version = \(migration.version)")
      }
    }
  }
}
