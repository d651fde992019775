import CSQLite
import Foundation
import LeadsheetCore

/// A thin owner of one `sqlite3 *` connection.
///
/// Not `Sendable`: the handle must stay on one thread, task or actor (SQLite
/// is built in serialized mode, but statements prepared on it are not safe to
/// share). Every failure becomes a one-line `LeadsheetError(.storage)` naming
/// the database file, with a hint chosen from SQLite's primary result code.
final class SQLiteConnection {
  /// The database file, as the user named it.
  let path: String
  /// The open handle; `nil` once closed.
  private(set) var handle: OpaquePointer?

  /// Opens (or creates) the database at `path`.
  ///
  /// The caller creates the file beforehand with the permissions it wants;
  /// `SQLITE_OPEN_CREATE` is still passed so that an in-memory path works.
  init(path: String) throws {
    self.path = path
    var db: OpaquePointer?
    let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
    let rc = sqlite3_open_v2(path, &db, flags, nil)
    guard rc == SQLITE_OK, let db else {
      let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
      if let db { sqlite3_close_v2(db) }
      throw Self.storageError(path: path, code: rc, message: message, context: "cannot open")
    }
    sqlite3_extended_result_codes(db, 1)
    handle = db
  }

  deinit { close() }

  /// Closes the connection; later calls fail with `SQLITE_MISUSE`.
  func close() {
    if let handle { sqlite3_close_v2(handle) }
    handle = nil
  }

  /// Runs one or more SQL statements that return no rows.
  func execute(_ sql: String) throws {
    var errorMessage: UnsafeMutablePointer<CChar>?
    let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
    if rc != SQLITE_OK {
      let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
      sqlite3_free(errorMessage)
      throw Self.storageError(path: path, code: rc, message: message, context: nil)
    }
  }

  /// Compiles one statement.
  func prepare(_ sql: String) throws -> Statement {
    var stmt: OpaquePointer?
    let rc = sqlite3_prepare_v3(handle, sql, -1, 0, &stmt, nil)
    guard rc == SQLITE_OK, let stmt else { throw error(rc) }
    return Statement(connection: self, handle: stmt)
  }

  /// Runs `body` in a `BEGIN IMMEDIATE` transaction: committed if it returns,
  /// rolled back if it throws.
  ///
  /// `IMMEDIATE` takes the write lock up front, so that a concurrent writer
  /// waits for the busy timeout instead of failing half-way with `SQLITE_BUSY`.
  func transaction<T>(_ body: () throws -> T) throws -> T {
    try execute("BEGIN IMMEDIATE")
    do {
      let result = try body()
      try execute("COMMIT")
      return result
    } catch {
      try? execute("ROLLBACK")
      throw error
    }
  }

  /// The extended result code of the connection's last failure.
  var lastErrorCode: Int32 { handle.map { sqlite3_extended_errcode($0) } ?? SQLITE_MISUSE }

  /// Rows changed by the last `INSERT`, `UPDATE` or `DELETE`.
  var changes: Int { Int(sqlite3_changes(handle)) }

  /// The rowid of the last `INSERT`.
  var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

  /// Reads a single-value pragma or query.
  func scalarText(_ sql: String) throws -> String? {
    let stmt = try prepare(sql)
    return try stmt.step() ? stmt.text(0) : nil
  }

  /// Reads a single integer.
  func scalarInt(_ sql: String, _ values: [SQLValue] = []) throws -> Int64 {
    let stmt = try prepare(sql)
    try stmt.bind(values)
    return try stmt.step() ? stmt.int64(0) : 0
  }

  /// The error for result code `code`, with the connection's message.
  func error(_ code: Int32, context: String? = nil) -> LeadsheetError {
    let message =
      handle.map { String(cString: sqlite3_errmsg($0)) }
      ?? String(cString: sqlite3_errstr(code))
    return Self.storageError(path: path, code: code, message: message, context: context)
  }

  /// Builds the one-line storage error for a SQLite result code.
  static func storageError(
    path: String, code: Int32, message: String, context: String?
  ) -> LeadsheetError {
    let hint: String?
    switch code & 0xff {
    case SQLITE_FULL:
      hint = "the disk is full: free some space, or pass --db on another disk"
    case SQLITE_READONLY:
      hint = "the database or its folder is read-only: check permissions, or pass --db"
    case SQLITE_CANTOPEN:
      hint = "check that the folder exists and is writable, or pass --db / LEADSHEET_DB"
    case SQLITE_BUSY, SQLITE_LOCKED:
      hint = "another leadsheet process is writing to it: wait for it, then retry"
    case SQLITE_CORRUPT, SQLITE_NOTADB:
      hint = "the file is damaged or not a leadsheet database: move it aside"
    case SQLITE_IOERR:
      hint = "a disk read or write failed: check the disk and free space"
    case SQLITE_PERM, SQLITE_AUTH:
      hint = "permission denied: check the file's owner and mode"
    default:
      hint = nil
    }
    var text = message
    if code & 0xff != code { text += " (SQLite code \(code))" }
    if let context { text = "\(context): \(message)" }
    return LeadsheetError(.storage, file: path, text, hint: hint)
  }
}
