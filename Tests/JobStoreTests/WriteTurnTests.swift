import Foundation
import LeadsheetCore
import Testing

@testable import JobStore

/// Taking turns at the write lock beside a live ingest: an up-to-date database opens
/// without writing, and a run's first writes can go before the ingest's next transaction.
@Suite(.serialized) struct WriteTurnTests {
  /// Every open but the first only reads the schema version: opening a store while
  /// another connection holds the write lock (a live ingest's transaction) neither
  /// waits for it nor fails.
  @Test func anUpToDateDatabaseOpensWithoutTheWriteLock() throws {
    try withStore { store, _ throws in
      try store.connection.execute("BEGIN IMMEDIATE")
      defer { try? store.connection.execute("ROLLBACK") }
      let start = Date()
      let other = try JobStore(path: store.path)
      #expect(try other.schemaVersion() == JobStore.latestSchemaVersion)
      // SQLite's busy timeout is 5 s: a write transaction would have waited it out.
      #expect(Date().timeIntervalSince(start) < 2)
      other.close()
    }
  }

  /// While writes are preferred, an ingest begins no transaction; it goes on at once
  /// when the preference ends, and by itself when it expires.
  @Test func anIngestWaitsWhileWritesArePreferred() throws {
    let turn = WriteTurn()
    let began = Flag()
    turn.prefer(for: 30)
    let ingest = Thread {
      turn.ingestWillBegin()
      began.set()
    }
    ingest.start()
    usleep(200_000)
    #expect(!began.isSet, "the ingest began while writes were preferred")
    turn.endPreference()
    #expect(began.wait(seconds: 5), "the ingest did not go on when the preference ended")

    // A preference that expires lets the ingest go on by itself.
    let expired = Flag()
    turn.prefer(for: 0.1)
    let second = Thread {
      turn.ingestWillBegin()
      expired.set()
    }
    second.start()
    #expect(expired.wait(seconds: 5), "the ingest waited past the preference")
  }
}

/// A flag set on one thread and awaited on another.
private final class Flag: @unchecked Sendable {
  private let condition = NSCondition()
  private var value = false

  var isSet: Bool {
    condition.lock()
    defer { condition.unlock() }
    return value
  }

  func set() {
    condition.lock()
    value = true
    condition.broadcast()
    condition.unlock()
  }

  /// Whether the flag was set within `seconds`.
  func wait(seconds: Double) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    let deadline = Date(timeIntervalSinceNow: seconds)
    while !value { if !condition.wait(until: deadline) { return value } }
    return true
  }
}
