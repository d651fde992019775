import Foundation
import LeadsheetCore
import Testing

@testable import JobStore

/// `counts(job:)` never joins every row with its request: it counts the requests and
/// adds the rows that share one or have none. These tests hold it to the join it
/// replaced, on jobs whose request ids interleave with another job's.
@Suite struct CountsTests {
  /// The join `counts(job:)` used to run: every row with its request's outcome.
  private func joinedCounts(_ store: JobStore, _ job: JobID) throws -> [RowStatus: Int] {
    var rows = Dictionary(uniqueKeysWithValues: RowStatus.allCases.map { ($0, 0) })
    let stmt = try store.connection.prepare(
      """
      SELECT CASE WHEN r.plan != 'request' THEN r.plan
        WHEN q.state = 'done' THEN q.status ELSE 'pending' END AS s, count(*)
      FROM rows r LEFT JOIN requests q ON q.id = r.request_id
      WHERE r.job_id = ? GROUP BY s
      """)
    try stmt.bind([.text(job.rawValue)])
    while try stmt.step() {
      rows[RowStatus(rawValue: stmt.text(0) ?? "") ?? .failed, default: 0] += stmt.int(1)
    }
    return rows
  }

  /// Rows with a request minus requests, as `creditsSaved` used to count them.
  private func joinedSaved(_ store: JobStore, _ job: JobID) throws -> Int {
    let key: [SQLValue] = [.text(job.rawValue)]
    let withRequest = try store.connection.scalarInt(
      "SELECT count(*) FROM rows WHERE job_id = ? AND request_id IS NOT NULL", key)
    let requests = try store.connection.scalarInt(
      "SELECT count(*) FROM requests WHERE job_id = ?", key)
    return Int(withRequest - requests)
  }

  /// Rows of contacts `contacts` (repeats are duplicates), every fifth one invalid
  /// and every seventh skipped.
  private func rows(_ contacts: [Int], from line: Int) -> [IngestRow] {
    contacts.enumerated().map { offset, contact in
      let n = line + offset
      if n % 5 == 0 {
        return IngestRow(line: n, cells: [], plan: .invalid(code: "c", message: "m"))
      }
      if n % 7 == 0 { return IngestRow(line: n, cells: [], plan: .skipped(reason: "has email")) }
      return row(n, contact: contact)
    }
  }

  @Test func interleavedJobsCountAsTheJoin() throws {
    try withStore { store, _ throws in
      // Job A stores its first chunks, stops; job B is stored whole; A goes on. A's
      // request ids then span B's, and A's later rows repeat contacts of its first.
      let a = try store.createJob(sampleSpec(chunkSize: 10))
      let first = try store.beginIngest(job: a.id, pacing: IngestPacing(rows: 10))
      for r in rows((0..<30).map { $0 % 24 }, from: 1) { try first.append(r) }
      try first.suspend()
      let b = try makeJob(store, chunkSize: 10, rows: rows((0..<40).map { $0 % 33 }, from: 100))
      let rest = try store.continueIngest(job: a.id, pacing: IngestPacing(rows: 10))
      for r in rows((0..<40).map { ($0 * 7) % 31 }, from: 31) { try rest.append(r) }
      _ = try rest.finish()
      let spanA = try store.connection.scalarInt(
        "SELECT max(id) - min(id) + 1 FROM requests WHERE job_id = ?", [.text(a.id.rawValue)])
      let ofA = try store.connection.scalarInt(
        "SELECT count(*) FROM requests WHERE job_id = ?", [.text(a.id.rawValue)])
      #expect(spanA > ofA, "B's request ids lie inside A's span")
      // Every state and status: found, not found, failed, in flight, submitted, pending.
      for job in [a.id, b.id] {
        let next = try store.nextRequests(job: job, limit: 12)
        try store.markInFlight(job: job, next.map(\.id))
        try store.recordOutcomes(
          job: job,
          next[0..<4].map { found($0.id) }
            + next[4..<7].map {
              RequestOutcome(
                requestID: $0.id, result: .response(EnrichResponse(status: "error"), json: nil))
            }
            + next[7..<9].map {
              RequestOutcome(requestID: $0.id, result: .failed(errorClass: "x", message: "y"))
            })
        try store.connection.execute(
          "UPDATE requests SET state = 'submitted' WHERE id = \(next[9].id)")
      }
      for job in [a, b] {
        let counts = try store.counts(job: job.id)
        let joined = try joinedCounts(store, job.id)
        #expect(counts.rowsByStatus == joined)
        #expect(counts.rows == joined.values.reduce(0, +))
        #expect(counts.rows == (try store.job(job.id))?.rowCount)
        #expect(counts.creditsSaved == (try joinedSaved(store, job.id)))
        #expect(try store.creditsSaved(job: job.id) == counts.creditsSaved)
        #expect(counts.creditsSaved > 0)
        #expect(
          counts.requestsByState == [
            .pending: counts.requestsByState[.pending]!, .inFlight: 2,
            .submitted: 1, .done: 9,
          ])
        #expect(counts.rowsByStatus[.invalid]! > 0 && counts.rowsByStatus[.skipped]! > 0)
      }
    }
  }

  @Test func aJobWithoutRequests() throws {
    try withStore { store, _ throws in
      let job = try makeJob(
        store, rows: [IngestRow(line: 2, cells: [], plan: .invalid(code: "c", message: "m"))])
      let counts = try store.counts(job: job.id)
      #expect(counts.rows == 1)
      #expect(counts.rowsByStatus[.invalid] == 1)
      #expect(counts.creditsSaved == 0)
      #expect(counts.requestsByState.values.reduce(0, +) == 0)
    }
  }
}
