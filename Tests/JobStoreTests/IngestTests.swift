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
      id = try store.createJob(sampleSpec()).id
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
