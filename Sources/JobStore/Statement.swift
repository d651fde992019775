import CSQLite
import LeadsheetCore

/// A value bound to a statement parameter.
enum SQLValue {
  /// An integer.
  case int(Int64)
  /// A floating-point number.
  case double(Double)
  /// UTF-8 text.
  case text(String)
  /// Bytes.
  case blob([UInt8])
  /// `NULL`.
  case null

  /// `text(s)` or `null` for `nil`.
  static func optional(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
  /// `int(n)` or `null` for `nil`.
  static func optional(_ n: Int?) -> SQLValue { n.map { .int(Int64($0)) } ?? .null }
}

/// A prepared statement: bind, step, read columns, reset.
///
/// Finalized when released. Belongs to its connection's thread.
final class Statement {
  private unowned let connection: SQLiteConnection
  private let handle: OpaquePointer

  init(connection: SQLiteConnection, handle: OpaquePointer) {
    self.connection = connection
    self.handle = handle
  }

  deinit { sqlite3_finalize(handle) }

  /// Resets the statement and binds `values` to parameters 1…n.
  func bind(_ values: [SQLValue]) throws {
    sqlite3_reset(handle)
    sqlite3_clear_bindings(handle)
    for (offset, value) in values.enumerated() {
      try bind(value, at: Int32(offset + 1))
    }
  }

  /// Binds one value to a 1-based parameter.
  func bind(_ value: SQLValue, at index: Int32) throws {
    let transient = leadsheet_sqlite_transient()
    let rc: Int32
    switch value {
    case .int(let n): rc = sqlite3_bind_int64(handle, index, n)
    case .double(let d): rc = sqlite3_bind_double(handle, index, d)
    case .null: rc = sqlite3_bind_null(handle, index)
    case .text(var s):
      rc = s.withUTF8 { buffer in
        if buffer.isEmpty { return sqlite3_bind_text(handle, index, "", 0, transient) }
        return sqlite3_bind_text(handle, index, buffer.baseAddress, Int32(buffer.count), transient)
      }
    case .blob(let bytes):
      rc = bytes.withUnsafeBytes { buffer in
        if buffer.isEmpty { return sqlite3_bind_zeroblob(handle, index, 0) }
        return sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), transient)
      }
    }
    guard rc == SQLITE_OK else { throw connection.error(rc) }
  }

  /// Advances: `true` when a row is available, `false` when done.
  @discardableResult
  func step() throws -> Bool {
    let rc = sqlite3_step(handle)
    switch rc {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default:
      sqlite3_reset(handle)
      throw connection.error(rc)
    }
  }

  /// Binds `values` and steps to completion.
  func run(_ values: [SQLValue]) throws {
    try bind(values)
    while try step() {}
  }

  /// Resets so that the statement can run again (bindings kept).
  func reset() { sqlite3_reset(handle) }

  /// Whether column `i` is `NULL`.
  func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }

  /// Column `i` as an integer (0 for `NULL`).
  func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }

  /// Column `i` as an `Int` (0 for `NULL`).
  func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(handle, i)) }

  /// Column `i` as an optional `Int`.
  func optionalInt(_ i: Int32) -> Int? { isNull(i) ? nil : int(i) }

  /// Column `i` as a floating-point number (0 for `NULL`).
  func double(_ i: Int32) -> Double { sqlite3_column_double(handle, i) }

  /// Column `i` as text; `nil` for `NULL`.
  func text(_ i: Int32) -> String? {
    guard let pointer = sqlite3_column_text(handle, i) else { return nil }
    let count = Int(sqlite3_column_bytes(handle, i))
    return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
  }

  /// Calls `body` with the bytes of column `i` (empty for `NULL` or a zero-length blob).
  ///
  /// The buffer is valid only inside `body`.
  func withBlob<T>(_ i: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
    let pointer = sqlite3_column_blob(handle, i)
    let count = Int(sqlite3_column_bytes(handle, i))
    return try body(UnsafeRawBufferPointer(start: count > 0 ? pointer : nil, count: count))
  }
}

// MARK: - Binding without copies (the ingest's hot path)

extension Statement {
  /// Binds an integer to a 1-based parameter.
  func bindInt(_ value: Int64, at index: Int32) throws {
    let rc = sqlite3_bind_int64(handle, index, value)
    guard rc == SQLITE_OK else { throw connection.error(rc) }
  }

  /// Binds `NULL` to a 1-based parameter.
  func bindNull(at index: Int32) throws {
    let rc = sqlite3_bind_null(handle, index)
    guard rc == SQLITE_OK else { throw connection.error(rc) }
  }

  /// Binds UTF-8 text or bytes without copying them: they must stay alive and
  /// unchanged until the statement has run (`runBound()`).
  func bindStatic(_ bytes: UnsafeRawBufferPointer, at index: Int32, asText: Bool) throws {
    let pointer = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)
    let count = Int32(bytes.count)
    let rc =
      asText
      ? sqlite3_bind_text(
        handle, index, pointer?.assumingMemoryBound(to: CChar.self), count,
        leadsheet_sqlite_static())
      : sqlite3_bind_blob(handle, index, pointer, count, leadsheet_sqlite_static())
    guard rc == SQLITE_OK else { throw connection.error(rc) }
  }

  /// Steps a statement whose parameters are bound to completion, then resets it.
  func runBound() throws {
    let rc = sqlite3_step(handle)
    sqlite3_reset(handle)
    guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw connection.error(rc) }
  }
}
