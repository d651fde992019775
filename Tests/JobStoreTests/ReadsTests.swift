import Foundation
import LeadsheetCore
import Testing

@testable import JobStore

@Suite struct ReadsTests {
  @Test func countsEveryStatus() throws {
    try withStore { store, _ throws in
      let job = try makeJob(
        store,
        rows: [
          row(2, contact: 1), row(3, contact: 2), row(4, contact: 3), row(5, contact: 1),
          row(6, contact: 4),
          IngestRow(line: 7, cells: [], plan: .invalid(code: "c", message: "m")),
          IngestRow(line: 8, cells: [], plan: .skipped(reason: "has email")),
        ])
      let next = try store.nextRequests(job: job.id, limit: 3)
      try store.markInFlight(job: job.id, next.map(\.id))
      try store.recordOutcomes(
        job: job.id,
        [
          found(next[0].id),
          RequestOutcome(
            requestID: next[1].id,
            result: .response(EnrichResponse(status: "error"), json: nil)),
          RequestOutcome(requestID: next[2].id, result: .failed(errorClass: "x", message: "y")),
        ])
      let counts = try store.counts(job: job.id)
      #expect(counts.rows == 7)
      #expect(
        counts.rowsByStatus == [
          .found: 2, .notFound: 1, .failed: 1, .pending: 1, .invalid: 1, .skipped: 1,
        ])
      #expect(counts.requestsByState == [.pending: 1, .inFlight: 0, .submitted: 0, .done: 3])
      #expect(counts.creditsSaved == 1)
      #expect(try store.jobs().map(\.id) == [job.id])
    }
  }

  @Test func purgeRemovesEverything() throws {
    try withStore { store, folder throws in
      let keep = try makeJob(store, rows: [row(2, contact: 1)])
      let job = try makeJob(
        store,
        rows: (0..<500).map {
          IngestRow(
            line: $0, cells: [Cell("secret-person-\($0)@example.com")], plan: .request(request($0)))
        })
      let next = try store.nextRequests(job: job.id, limit: 5)
      try store.markInFlight(job: job.id, next.map(\.id))
      try store.recordOutcomes(
        job: job.id, next.map { found($0.id, email: "secret-found@example.com") })
      try store.acquireLock(job: job.id, pid: 1, host: "h")
      let run = try store.startRun(job: job.id)
      try store.recordPause(run: run, reason: "429")
      #expect(try store.purge(job: job.id) == 500)
      #expect(try store.job(job.id) == nil)
      #expect(try store.jobs().map(\.id) == [keep.id])
      for table in ["rows", "requests", "chunks", "locks", "runs", "run_pauses"] {
        let left = try store.connection.scalarInt(
          "SELECT count(*) FROM \(table) WHERE \(table == "run_pauses" ? "run_id" : "job_id") = ?",
          [.text(table == "run_pauses" ? "\(run)" : job.id.rawValue)])
        #expect(left == 0, "\(table)")
      }
      #expect(throws: LeadsheetError.self) { try store.purge(job: job.id) }
      // The personal data is gone from the files, not only from the tables.
      store.close()
      for file in ["jobs.sqlite", "jobs.sqlite-wal"] {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: folder.path(file)))) ?? Data()
        #expect(data.range(of: Data("secret-person".utf8)) == nil, "\(file)")
        #expect(data.range(of: Data("secret-found".utf8)) == nil, "\(file)")
      }
    }
  }

  @Test func runStatisticsAndLatency() throws {
    try withStore { store, _ throws in
      let job = try makeJob(store, rows: (0..<100).map { row($0 + 2, contact: $0) })
      let run = try store.startRun(job: job.id)
      let next = try store.nextRequests(job: job.id, limit: 100)
      try store.markInFlight(job: job.id, next.map(\.id))
      try store.recordOutcomes(
        job: job.id, next.enumerated().map { found($0.element.id, latency: $0.offset + 1) })
      try store.addToRun(run, RunCounters(requestsSent: 100, retries: 3, rateLimited: 2))
      try store.addToRun(run, RunCounters(requestsSent: 3))
      try store.recordPause(run: run, reason: "rate limited", seconds: 2.5)
      try store.endRun(run, reason: "done")
      let runs = try store.runs(job: job.id)
      #expect(runs.count == 1)
      #expect(runs[0].counters == RunCounters(requestsSent: 103, retries: 3, rateLimited: 2))
      #expect(runs[0].pauses.map(\.reason) == ["rate limited"])
      #expect(runs[0].pauses.first?.seconds == 2.5)
      #expect(runs[0].endReason == "done")
      #expect(runs[0].endedAt != nil)
      let latency = try #require(try store.latency(job: job.id))
      #expect(latency == LatencySummary(count: 100, p50: 50, p95: 95, p99: 99))
    }
  }
}
