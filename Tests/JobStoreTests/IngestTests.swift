import Foundation
import LeadsheetCore
import Testing

@testable import JobStore

@Suite struct IngestTests {
  @Test func chunksAndDeduplicates() throws {
    try withStore { store, _ throws in
      let job = try store.createJob(sampleSpec(chunkSize: 3))
      #expect(job.state == .ingesting)
      // Contacts: 1 2 1 | invalid skipped invalid | 3 2 4 | 1
      let rows = [
        row(2, contact: 1), row(3, contact: 2), row(4, contact: 1),
        IngestRow(line: 5, cells: ["x"], plan: .invalid(code: "missing-name", message: "no name")),
        IngestRow(line: 6, cells: ["y"], plan: .skipped(reason: "already has an email")),
        IngestRow(line: 7, cells: ["z"], plan: .invalid(code: "missing-name", message: "no name")),
        row(8, contact: 3), row(9, contact: 2), row(10, contact: 4),
        row(11, contact: 1),
      ]
      let summary = try store.ingest(job: job.id, rows: rows, batchSize: 4)
      #expect(summary.rows == 10)
      #expect(summary.requests == 4)
      #expect(summary.duplicates == 3)
      #expect(summary.invalid == 2)
      #expect(summary.skipped == 1)
      #expect(summary.chunks == 4)

      let stored = try #require(try store.job(job.id))
      #expect(stored.state == .running)
      #expect(stored.rowCount == 10)
      #expect(stored.ingestedAt != nil)
      #expect(try store.chunkState(job: job.id, chunk: 0) == .pending)
      #expect(try store.chunkState(job: job.id, chunk: 1) == .done)  // nothing to send
      #expect(try store.chunkState(job: job.id, chunk: 3) == .pending)
      #expect(try store.creditsSaved(job: job.id) == 3)

      // Work comes in chunk order, each distinct contact once.
      let next = try store.nextRequests(job: job.id, limit: 10)
      #expect(next.map(\.request) == [request(1), request(2), request(3), request(4)])
      #expect(next.allSatisfy { $0.attempts == 0 })
    }
  }

  @Test func storesTheKeyAloneWhenItSaysEverything() throws {
    try withStore { store, folder throws in
      let job = try store.createJob(sampleSpec(chunkSize: 2))
      let plain = EnrichRequest(
        firstname: "Léa", lastname: "Brun", linkedinURL: "https://www.linkedin.com/in/lea",
        enrichmentType: [.email, .phone], phoneCountryCodes: ["FR"])
      let withCustom = EnrichRequest(
        firstname: "李", lastname: "小龍", companyName: "Acme", enrichmentType: [.email],
        custom: ["crm_id": "42"])
      let withEmptyField = EnrichRequest(
        firstname: "Ann", lastname: "Lee", companyName: "", enrichmentType: [.personalEmail])
      let rows = [plain, withCustom, withEmptyField, plain].enumerated().map {
        IngestRow(line: $0.offset + 2, cells: [Cell("\($0.offset)")], plan: .request($0.element))
      }
      let summary = try store.ingest(job: job.id, rows: rows)
      #expect(summary.requests == 3)
      #expect(summary.duplicates == 1)
      #expect(summary.requestsByType == [.email: 2, .phone: 1, .personalEmail: 1])

      // Only the requests the key cannot give back keep a JSON body.
      let raw = try JobStore(path: folder.path("jobs.sqlite"))
      defer { raw.close() }
      let bodies = try raw.connection.prepare("SELECT body FROM requests ORDER BY id")
      var stored: [String] = []
      while try bodies.step() { stored.append(bodies.text(0) ?? "NULL") }
      #expect(stored.count == 3)
      #expect(stored[0] == "")
      #expect(stored[1].contains("\"crm_id\""))
      #expect(stored[2].contains("\"company_name\":\"\""))

      // Both forms read back to the very requests, for the runner and the report.
      let next = try store.nextRequests(job: job.id, limit: 10)
      #expect(next.map(\.request) == [plain, withCustom, withEmptyField])
      var reported: [EnrichRequest?] = []
      try store.forEachReportRow(job: job.id) { reported.append($0.request) }
      #expect(reported == [plain, withCustom, withEmptyField, plain])
    }
  }

  /// Rows go to SQLite in multi-row statements: whole batches, the rest one by one, and
  /// batches cut short by long cells. Whatever the cut, every row reads back as appended.
  @Test func batchesRowsOfEveryLength() throws {
    try withStore { store, _ throws in
      let job = try store.createJob(sampleSpec(chunkSize: 50))
      var rows: [IngestRow] = []
      for i in 0..<(IngestInsertBatch.width * 3 + 7) {
        let long = i % 37 == 3 ? String(repeating: "é", count: 400_000) : "n\(i)"
        rows.append(
          i % 9 == 4
            ? IngestRow(
              line: i + 2, cells: [Cell(long)], plan: .invalid(code: "missing-name", message: "m"))
            : IngestRow(
              line: i + 2, cells: [Cell("First\(i % 50)"), Cell(long)],
              plan: .request(request(i % 50))))
      }
      let summary = try store.ingest(job: job.id, rows: rows, batchSize: 100)
      #expect(summary.rows == rows.count)
      var read: [(Int, [String], Int64?)] = []
      try store.forEachRow(job: job.id) {
        read.append(($0.line, $0.cells.map(\.text), $0.requestID))
      }
      #expect(read.map(\.0) == rows.map(\.line))
      #expect(read.map(\.1) == rows.map { $0.cells.map(\.text) })
      // Rows of the same contact share one request; each request is its contact's.
      var requestOf: [Int: Int64] = [:]
      for (i, r) in read.enumerated() where i % 9 != 4 {
        let id = try #require(r.2)
        #expect(requestOf[i % 50, default: id] == id)
        requestOf[i % 50] = id
      }
      let sent = try store.nextRequests(job: job.id, limit: 1_000)
      #expect(sent.count == 50)
      for (contact, id) in requestOf {
        #expect(sent.first { $0.id == id }?.request == request(contact))
      }
    }
  }

  /// The inserts end the whole transaction on a broken constraint (`OR ROLLBACK`, no
  /// statement journal): the writer throws, nothing of the open transaction stays, and
  /// the job goes on from its last commit.
  @Test func aBrokenConstraintRollsBackTheOpenTransaction() throws {
    try withStore { store, _ throws in
      let job = try store.createJob(sampleSpec(chunkSize: 10))
      let writer = try store.beginIngest(job: job.id, pacing: IngestPacing(rows: 20))
      for i in 0..<25 { try writer.append(row(i + 2, contact: i)) }
      // Rows 0-19 are committed; 20-24 wait in the open transaction. A row stored
      // meanwhile at index 30 (a bug's doing) breaks `rows_by_index` at the next flush.
      try store.connection.execute(
        "INSERT INTO rows (job_id, row_index, line, cells, plan) "
          + "VALUES ('\(job.id.rawValue)', 30, 0, x'', 'invalid')")
      #expect(throws: LeadsheetError.self) {
        for i in 25...40 { try writer.append(row(i + 2, contact: i)) }
      }
      let key: [SQLValue] = [.text(job.id.rawValue)]
      #expect(
        try store.connection.scalarInt("SELECT count(*) FROM rows WHERE job_id = ?", key) == 20)
      #expect(
        try store.connection.scalarInt("SELECT count(*) FROM requests WHERE job_id = ?", key) == 20)
      // No transaction is left open: the job goes on from row 20.
      let rest = try store.continueIngest(job: job.id)
      #expect(rest.rowsAppended == 20)
      for i in 20..<30 { try rest.append(row(i + 2, contact: i)) }
      let summary = try rest.finish()
      #expect(summary.rows == 30)
      #expect(try store.counts(job: job.id).rowsByStatus[.pending] == 30)
    }
  }

  @Test func refusesASecondIngest() throws {
    try withStore { store, _ throws in
      let job = try makeJob(store, rows: [row(2, contact: 1)])
      #expect(throws: LeadsheetError.self) { _ = try store.beginIngest(job: job.id) }
    }
  }

  @Test func interruptedIngestLeavesAnIncompleteJob() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let path = folder.path("jobs.sqlite")
    let id: JobID
    do {
      let store = try JobStore(path: path)
      id = try store.createJob(sampleSpec(chunkSize: 5)).id
      let writer = try store.beginIngest(job: id, batchSize: 10)
      for n in 0..<25 { try writer.append(row(n + 2, contact: n)) }
      // "Crash": never finish; the open batch (5 rows) is rolled back.
    }
    let store = try JobStore(path: path)
    let job = try #require(try store.job(id))
    #expect(job.state == .ingesting)
    #expect(job.rowCount == 20)
    #expect(throws: LeadsheetError.self) { _ = try store.beginIngest(job: id) }
    #expect(throws: LeadsheetError.self) { try store.setState(job: id, to: .running) }
    #expect(try store.purge(job: id) == 20)
  }

  /// 200,000 rows (a third of them duplicates) in batches: runs in a few seconds.
  @Test func ingestsManyRows() throws {
    try withStore { store, _ throws in
      let job = try store.createJob(sampleSpec())
      let n = 200_000
      let rows = (0..<n).lazy.map { i in
        IngestRow(
          line: i + 2,
          cells: [Cell("First\(i % 150_000)"), Cell("Last"), Cell("Company \(i)"), Cell("x@y.z")],
          plan: .request(request(i % 150_000)))
      }
      let summary = try store.ingest(job: job.id, rows: rows)
      #expect(summary.rows == n)
      #expect(summary.requests == 150_000)
      #expect(summary.chunks == 2_000)
      let counts = try store.counts(job: job.id)
      #expect(counts.rowsByStatus[.pending] == n)
      #expect(counts.creditsSaved == 50_000)
      var seen = 0
      try store.forEachRow(job: job.id) { row in
        #expect(row.index == seen)
        seen += 1
      }
      #expect(seen == n)
    }
  }
}

/// Continuing an interrupted ingest gives the job an uninterrupted ingest would have made.
@Suite struct ContinueIngestTests {
  /// Contacts repeat across the cut (row 40 and later reuse earlier contacts).
  static let rows: [IngestRow] = (0..<97).map { i in
    if i % 11 == 5 {
      return IngestRow(
        line: i + 2, cells: [Cell("x\(i)")],
        plan: .invalid(code: "missing-name", message: "no name"))
    }
    if i % 13 == 7 {
      return IngestRow(line: i + 2, cells: ["y"], plan: .skipped(reason: "has email"))
    }
    // Every third contact asks for phone too: a continued ingest counts types again.
    var plain = row(i + 2, contact: i % 29)
    if i % 29 % 3 == 0 {
      var typed = request(i % 29)
      typed.enrichmentType = [.email, .phone]
      plain.plan = .request(typed)
    }
    return plain
  }

  /// Every stored row: index, line, cells, status, reason, its request's body
  /// and the index of the first row sharing that request.
  static func contents(_ store: JobStore, _ job: JobID) throws -> [String] {
    let bodies = Dictionary(
      uniqueKeysWithValues: try store.nextRequests(job: job, limit: 10_000).map {
        ($0.id, $0.request)
      })
    var firstRowOfRequest: [Int64: Int] = [:]
    var result: [String] = []
    try store.forEachRow(job: job) { row in
      var text =
        "\(row.index) \(row.line) \(row.cells.map(\.text)) \(row.status) \(row.reasonCode ?? "-") \(row.message ?? "-")"
      if let id = row.requestID {
        text +=
          " \(bodies[id].map { "\($0)" } ?? "no body") request@\(firstRowOfRequest[id, default: row.index])"
        firstRowOfRequest[id] = firstRowOfRequest[id] ?? row.index
      }
      result.append(text)
    }
    return result
  }

  @Test(arguments: [0, 10, 40, 90, 97])
  func continuesAfterACrash(at cut: Int) throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let path = folder.path("jobs.sqlite")
    let reference = try JobStore(path: folder.path("reference.sqlite"))
    let refJob = try reference.createJob(sampleSpec(chunkSize: 10))
    let refSummary = try reference.ingest(job: refJob.id, rows: Self.rows, batchSize: 10)

    let id: JobID
    do {
      let store = try JobStore(path: path)
      id = try store.createJob(sampleSpec(chunkSize: 10)).id
      let writer = try store.beginIngest(job: id, batchSize: 10)
      for row in Self.rows.prefix(cut + 5) { try writer.append(row) }
      // "Crash": the open transaction (past the last whole chunk) is lost.
    }
    let store = try JobStore(path: path)
    #expect(try store.job(id)?.state == .ingesting)
    let writer = try store.continueIngest(job: id)
    let stored = writer.rowsAppended
    #expect(stored % 10 == 0 && stored <= cut + 5)
    for row in Self.rows.dropFirst(stored) { try writer.append(row) }
    let summary = try writer.finish()
    #expect(summary == refSummary)
    #expect(summary.requestsByType == [.email: 29, .phone: 10])
    #expect(try Self.contents(store, id) == Self.contents(reference, refJob.id))
    #expect(try store.job(id)?.state == .running)
    let chunks = (0..<10).map { try? store.chunkState(job: id, chunk: $0) }
    let refChunks = (0..<10).map { try? reference.chunkState(job: refJob.id, chunk: $0) }
    #expect(chunks == refChunks)
  }

  @Test func refusesAJobThatIsNotIngesting() throws {
    try withStore { store, _ throws in
      let job = try makeJob(store, rows: [row(2, contact: 1)])
      #expect(throws: LeadsheetError.self) { _ = try store.continueIngest(job: job.id) }
    }
  }

  /// A runner answered requests before an interrupted ingest was continued: a later
  /// chunk whose only rows share those requests is settled `done` when the ingest ends.
  @Test func settlesChunksOfRequestsAlreadyAnswered() throws {
    let folder = try TempFolder()
    defer { folder.remove() }
    let path = folder.path("jobs.sqlite")
    let id: JobID
    do {
      let store = try JobStore(path: path)
      id = try store.createJob(sampleSpec(chunkSize: 2)).id
      let writer = try store.beginIngest(job: id, batchSize: 2)
      // Chunk 0 is committed when row 4 starts chunk 1; row 4 is then lost.
      for r in [row(2, contact: 1), row(3, contact: 2), row(4, contact: 1)] {
        try writer.append(r)
      }
    }
    let store = try JobStore(path: path)
    let next = try store.nextRequests(job: id, limit: 10)
    #expect(next.count == 2)
    try store.markInFlight(job: id, next.map(\.id))
    try store.recordOutcomes(job: id, next.map { found($0.id) })
    #expect(try store.chunkState(job: id, chunk: 0) == .done)

    let writer = try store.continueIngest(job: id)
    #expect(writer.rowsAppended == 2)
    for r in [row(4, contact: 1), row(5, contact: 2), row(6, contact: 3)] { try writer.append(r) }
    let summary = try writer.finish()
    #expect(summary.requests == 3 && summary.duplicates == 2 && summary.chunks == 3)
    #expect(try store.chunkState(job: id, chunk: 1) == .done)  // only answered requests
    #expect(try store.chunkState(job: id, chunk: 2) == .pending)
    #expect(try store.nextRequests(job: id, limit: 10).map(\.request) == [request(3)])
  }
}
