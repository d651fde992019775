import CSQLite
import Foundation
import LeadsheetCore
import Testing

@testable import JobStore

@Suite struct JobStoreOpenTests {
  @Test func createsFileAndFolderPrivately() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let path = folder.path("state/leadsheet/jobs.sqlite")
    let store = try JobStore(path: path)
    try store.createJob(sampleSpec())
    #expect(try mode(path) == 0o600)
    #expect(try mode(folder.path("state/leadsheet")) == 0o700)
    #expect(try mode(path + "-wal") == 0o600)
  }

  @Test func setsPragmas() throws {
    try withStore { store, _ throws in
      let c = store.connection
      #expect(try c.scalarText("PRAGMA journal_mode") == "wal")
      #expect(try c.scalarInt("PRAGMA synchronous") == 2)  // FULL
      #expect(try c.scalarInt("PRAGMA foreign_keys") == 1)
      #expect(try store.schemaVersion() == JobStore.latestSchemaVersion)
      #expect(JobStore.latestSchemaVersion == 10)
    }
  }

  /// The busy handler (`WriteTurn`) waits for another connection's write, as SQLite's
  /// 5 s busy timeout did, instead of failing with `SQLITE_BUSY`.
  @Test func waitsForAnotherWriter() throws {
    try withStore { store, _ throws in
      nonisolated(unsafe) let other = try JobStore(path: store.path)
      try other.connection.execute("BEGIN IMMEDIATE")
      let release = Thread {
        usleep(300_000)
        try? other.connection.execute("COMMIT")
      }
      release.start()
      let start = Date()
      _ = try store.createJob(sampleSpec())
      #expect(Date().timeIntervalSince(start) >= 0.25)
    }
  }

  @Test func defaultPath() {
    #expect(JobStore.defaultPath(environment: ["LEADSHEET_DB": "/x/db.sqlite"]) == "/x/db.sqlite")
    #expect(
      JobStore.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"])
        == "/s/leadsheet/jobs.sqlite")
    #expect(
      JobStore.defaultPath(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"])
        == "/h/.local/state/leadsheet/jobs.sqlite")
    #expect(
      JobStore.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/leadsheet/jobs.sqlite")
  }

  @Test func migratesTheV1Fixture() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let fixture = try #require(
      Bundle.module.url(forResource: "Fixtures/v1", withExtension: "sqlite"))
    let path = folder.path("old.sqlite")
    try FileManager.default.copyItem(atPath: fixture.path, toPath: path)

    let store = try JobStore(path: path)
    #expect(try store.schemaVersion() == 10)
    let id = try #require(JobID("k7m2qx"))
    let job = try #require(try store.job(id))
    #expect(job.state == .running)
    #expect(job.spec.header == ["first", "last", "company"])
    #expect(job.spec.chunkSize == 2)
    var rows: [JobRow] = []
    try store.forEachRow(job: id) { rows.append($0) }
    #expect(rows.map(\.status) == [.found, .found, .invalid])
    #expect(rows[0].outcome?.email == "ada@analytical.example")
    #expect(rows[2].cells[2].text == "Zürich")
    #expect(try store.creditsSaved(job: id) == 1)
    // v2's table works on the old job.
    let run = try store.startRun(job: id)
    try store.addToRun(run, RunCounters(requestsSent: 1))
    #expect(try store.runs(job: id).first?.counters.requestsSent == 1)
    // v4's balances: recorded on the latest run, read back, charged = before − after.
    try store.recordCredits(job: id, balance: 2_500, atStart: true)
    try store.recordCredits(job: id, balance: nil, atStart: false)  // unknown: left NULL
    #expect(try store.runs(job: id).first?.creditsAfter == nil)
    try store.recordCredits(job: id, balance: 2_380, atStart: false)
    let record = try #require(try store.runs(job: id).first)
    #expect(record.creditsBefore == 2_500 && record.creditsAfter == 2_380)
    #expect(record.creditsCharged == 120)

    // The migrated schema is the one a new database gets.
    let fresh = try JobStore(path: folder.path("new.sqlite"))
    #expect(try schema(store) == schema(fresh))
  }

  @Test func refusesANewerSchema() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let path = folder.path("future.sqlite")
    do {
      let store = try JobStore(path: path)
      try store.connection.execute("PRAGMA user_version = 99")
    }
    #expect {
      _ = try JobStore(path: path)
    } throws: { error in
      let e = error as? LeadsheetError
      return e?.code == .storage && e?.description.contains("upgrade leadsheet") == true
    }
  }

  @Test func unwritableLocationIsAStorageError() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    // A file where the folder should be: cannot be created, even as root.
    _ = FileManager.default.createFile(atPath: folder.path("blocker"), contents: Data())
    let path = folder.path("blocker/leadsheet/jobs.sqlite")
    #expect {
      _ = try JobStore(path: path)
    } throws: { error in
      guard let e = error as? LeadsheetError else { return false }
      return e.code == .storage && e.file == path && e.hint != nil
        && !e.description.contains("\n")
    }
  }

  @Test func sqliteErrorsMapToHints() {
    let full = SQLiteConnection.storageError(
      path: "db", code: SQLITE_FULL, message: "database or disk is full", context: nil)
    #expect(
      full.description
        == "db: database or disk is full "
        + "(the disk is full: free some space, or pass --db on another disk)"
    )
    let busy = SQLiteConnection.storageError(
      path: "db", code: SQLITE_BUSY, message: "database is locked", context: nil)
    #expect(busy.hint?.contains("another leadsheet process") == true)
    let readOnly = SQLiteConnection.storageError(
      path: "db", code: SQLITE_READONLY, message: "attempt to write a readonly database",
      context: nil)
    #expect(readOnly.code == .storage)
    #expect(readOnly.hint?.contains("read-only") == true)
  }

  @Test func closedStoreThrowsInsteadOfCrashing() throws {
    try withStore { store, _ throws in
      store.close()
      #expect(throws: LeadsheetError.self) { try store.jobs() }
    }
  }

  private func schema(_ store: JobStore) throws -> [String] {
    let stmt = try store.connection.prepare(
      "SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master ORDER BY name")
    var result: [String] = []
    while try stmt.step() { result.append(stmt.text(0) ?? "") }
    return result
  }
}
